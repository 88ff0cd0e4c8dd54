import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ServeError } from "../serve-error.ts";
import { ensureTypeScriptLoader, explainLoadError, findTsx, type LoaderEnvironment } from "./typescript-loader.ts";

const MARK = Symbol.for("velox.typescript-loader");
const global = globalThis as Record<symbol, unknown>;
const saved = global[MARK];
afterEach(() => {
  if (saved === undefined) delete global[MARK];
  else global[MARK] = saved;
});

function env(patch: Partial<LoaderEnvironment> = {}): LoaderEnvironment & { registered: string[] } {
  const registered: string[] = [];
  return {
    execArgv: [],
    nodeOptions: undefined,
    nativeTypeScript: false,
    registerTsx: async (file) => {
      registered.push(file);
      return false;
    },
    registered,
    ...patch,
  };
}

describe("ensureTypeScriptLoader", () => {
  it("needs nothing for JavaScript", async () => {
    delete global[MARK];
    const e = env();
    expect(await ensureTypeScriptLoader("/app/main.js", e)).toBe("javascript");
    expect(await ensureTypeScriptLoader("/app/main.mjs", e)).toBe("javascript");
    expect(e.registered).toEqual([]);
  });

  it("keeps a loader that is already there: registered by the bin, or given as a node flag", async () => {
    global[MARK] = "tsx";
    expect(await ensureTypeScriptLoader("/app/main.ts", env())).toBe("active");
    delete global[MARK];
    for (const patch of [{ execArgv: ["--import", "tsx"] }, { execArgv: ["--import=tsx"] }, { execArgv: ["--loader", "ts-node/esm"] }, { nodeOptions: "--max-old-space-size=512 --require ts-node/register" }, { execArgv: ["--experimental-strip-types"] }]) {
      const e = env(patch);
      expect(await ensureTypeScriptLoader("/app/main.mts", e), JSON.stringify(patch)).toBe("active");
      expect(e.registered).toEqual([]);
    }
  });

  it("registers the project's tsx once, then counts it as active", async () => {
    delete global[MARK];
    const e = env({ execArgv: ["--conditions=velox-source", "--enable-source-maps"], registerTsx: async () => true });
    expect(await ensureTypeScriptLoader("/app/src/main.cts", e)).toBe("tsx");
    expect(await ensureTypeScriptLoader("/app/src/other.ts", env())).toBe("active");
  });

  it("falls back to Node's type stripping, else says to install tsx or run the JavaScript", async () => {
    delete global[MARK];
    expect(await ensureTypeScriptLoader("/app/main.ts", env({ nativeTypeScript: true }))).toBe("native");
    const e = env();
    const failure = await ensureTypeScriptLoader("/app/main.ts", e).catch((err: unknown) => err);
    expect(e.registered).toEqual(["/app/main.ts"]);
    expect(failure).toBeInstanceOf(ServeError);
    expect(failure).toMatchObject({ code: "VX_NO_TYPESCRIPT_LOADER" });
    expect((failure as Error).message).toMatch(/\/app\/main\.ts is TypeScript.*npm install --save-dev tsx.*compile the app with tsc/);
    expect(global[MARK]).toBeUndefined();
  });

  it("finds the project's own tsx first, else the one beside Velox", () => {
    const project = mkdtempSync(join(tmpdir(), "velox-tsx-"));
    try {
      const own = join(project, "node_modules/tsx");
      mkdirSync(own, { recursive: true });
      writeFileSync(join(own, "package.json"), JSON.stringify({ name: "tsx", exports: { "./esm/api": { import: { types: "./a.d.mts", default: "./esm-api.mjs" }, require: "./api.cjs" } } }));
      mkdirSync(join(project, "src"));
      expect(findTsx(join(project, "src/main.ts"))).toBe(join(own, "esm-api.mjs"));
      const besideVelox = findTsx(join(tmpdir(), "main.ts"));
      expect(besideVelox).toBe(join(createRequire(import.meta.url).resolve("tsx/package.json"), "../dist/esm/api/index.mjs"));
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

describe("explainLoadError", () => {
  it("turns Node's unknown .ts extension into the same advice, and leaves other errors alone", () => {
    const unknown = Object.assign(new TypeError('Unknown file extension ".ts"'), { code: "ERR_UNKNOWN_FILE_EXTENSION" });
    expect(explainLoadError(unknown, "/app/main.ts")).toMatchObject({ code: "VX_NO_TYPESCRIPT_LOADER" });
    expect(explainLoadError(unknown, "/app/main.js")).toBe(unknown);
    const other = new Error("boom");
    expect(explainLoadError(other, "/app/main.ts")).toBe(other);
  });
});
