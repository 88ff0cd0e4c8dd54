/**
 * What each entry point of the package loads. A subpath (`velox/server`, `velox/settings`, ...)
 * never goes through the main barrel, so importing it does not load the whole framework; the core
 * entries load no optional peer dependency (they are imported on first use, with a clear error).
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { chain, importsOf, loadedBy, PACKAGE_DIR, shippedModules, SRC } from "./module-graph.ts";

interface PackageJson {
  exports: Record<string, string | Record<string, string>>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
}
const pkg = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")) as PackageJson;

/** Subpath → its source entry (the `velox-source` condition). */
const entries = new Map(
  Object.entries(pkg.exports).flatMap(([subpath, target]) =>
    typeof target === "object" && target["velox-source"] ? [[subpath, join(PACKAGE_DIR, target["velox-source"])] as const] : [],
  ),
);
const MAIN = entries.get(".")!;
const barrels = new Set(entries.values());
const optionalPeers = Object.keys(pkg.peerDependencies).filter((name) => pkg.peerDependenciesMeta[name]?.optional);
/** Entries whose users must not need any optional peer installed to import them. */
const CORE = [".", "./server", "./settings", "./openapi", "./security", "./testing"];

describe("package entry points", () => {
  it("every subpath has a source entry, a types file and a default file", () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (subpath === "./package.json") continue;
      expect(target, subpath).toMatchObject({ types: expect.stringMatching(/^\.\/dist\/.+\.d\.ts$/), default: expect.stringMatching(/^\.\/dist\/.+\.js$/) });
      const conditions = Object.keys(target as object);
      expect(conditions, `${subpath}: velox-source first, default last`).toEqual(["velox-source", "types", "default"]);
      const source = (target as Record<string, string>)["velox-source"]!;
      const built = source.replace(/^\.\/src\//, "./dist/").replace(/\.ts$/, "");
      expect((target as Record<string, string>).default, subpath).toBe(`${built}.js`);
    }
    expect([...entries.keys()]).toEqual(expect.arrayContaining(CORE));
  });

  it("no shipped module but an entry imports an entry (subpaths import the concrete modules)", () => {
    const offenders = shippedModules()
      .filter((file) => !barrels.has(file))
      .flatMap((file) => importsOf(file).filter((edge) => edge.target !== null && barrels.has(edge.target)).map((edge) => `${relative(SRC, file)} imports ${edge.specifier}`));
    expect(offenders).toEqual([]);
  });

  it("importing a subpath never loads the main barrel", () => {
    for (const [subpath, entry] of entries) {
      if (subpath === ".") continue;
      const loaded = loadedBy(entry);
      expect(loaded.modules.has(MAIN), loaded.modules.has(MAIN) ? `velox${subpath.slice(1)} loads ${chain(loaded, MAIN)}` : "").toBe(false);
    }
  });

  it("the core entries load no optional peer and no package velox does not depend on", () => {
    const declared = new Set(Object.keys(pkg.dependencies));
    for (const subpath of CORE) {
      const { packages } = loadedBy(entries.get(subpath)!);
      const problems = [...packages]
        .filter(([name]) => optionalPeers.includes(name) || !declared.has(name))
        .map(([name, by]) => `velox${subpath.slice(1)} loads "${name}" (from ${relative(SRC, by)})`);
      expect(problems).toEqual([]);
    }
  });

  it("sees what it checks: a static import, a type-only one and a lazy one", () => {
    const edges = importsOf(join(SRC, "testing/inject.ts"));
    expect(edges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ specifier: "light-my-request", typeOnly: true, dynamic: false }),
        expect.objectContaining({ specifier: "light-my-request", typeOnly: false, dynamic: true }),
        expect.objectContaining({ specifier: "../optional-peer.ts", typeOnly: false, dynamic: false }),
      ]),
    );
    expect(loadedBy(MAIN).packages.has("find-my-way")).toBe(true);
  });
});
