/**
 * Velox as a user gets it from the registry: dist/ built and `npm pack`ed, a fresh project
 * outside the workspace installs the tarball with zod (no workspace links, the npm cache only),
 * then (a) the compiled app runs under plain `node` and answers over a socket, the `velox` CLI
 * explains that a `.ts` app needs tsx and, once tsx is installed, runs it, and (b) the project
 * type-checks with tsc under `nodenext` and `bundler`, strict, `skipLibCheck: false`.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./consumer-app/", import.meta.url));
const require = createRequire(import.meta.url);
const TSC = require.resolve("typescript/bin/tsc");
const versionOf = (pkg: string) => (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;

/** The parent's npm and node settings (npm_config_*, NODE_OPTIONS with velox-source) must not leak in. */
const cleanEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|NODE_OPTIONS$|NODE_PATH$|INIT_CWD$|VITEST)/i.test(key)),
);

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs a command to its end; throws with everything it printed unless it exits as expected. */
function run(cmd: string, args: readonly string[], cwd: string, expectCode: number | null = 0, timeoutMs = 120_000): Promise<Result> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: cleanEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      const result = { code, stdout, stderr, seconds: (performance.now() - started) / 1000 };
      if (expectCode === null || code === expectCode) resolve(result);
      else reject(new Error(`\`${cmd} ${args.join(" ")}\` in ${cwd} exited ${code ?? signal} (expected ${expectCode})\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
    });
  });
}

/** Starts a server process and resolves with its URL once it prints one; `stop()` ends it and waits. */
function startServer(cmd: string, args: readonly string[], cwd: string, pattern: RegExp) {
  const child = spawn(cmd, args, { cwd, env: cleanEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`\`${cmd} ${args.join(" ")}\` exited ${code} before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`\`${cmd} ${args.join(" ")}\` did not print a URL in 60 s:\n${output}`)), 60_000).unref();
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(force);
  };
  return { url, stop, output: () => output };
}

const timings: Record<string, number> = {};
let work: string;
let project: string;
let tarball: string;

beforeAll(async () => {
  const started = performance.now();
  work = mkdtempSync(join(tmpdir(), "velox-consumer-"));
  project = join(work, "project");

  // What `npm pack` does through its prepack script (`npm run build`), minus the type check that
  // `npm test` has already run over the same sources (--noCheck emits the same files).
  rmSync(join(PACKAGE_DIR, "dist"), { recursive: true, force: true });
  const built = await run(process.execPath, [TSC, "-p", join(PACKAGE_DIR, "tsconfig.build.json"), "--noCheck"], PACKAGE_DIR, 0, 240_000);
  timings.build = built.seconds;
  const packed = await run("npm", ["pack", "--ignore-scripts", "--pack-destination", work, "--loglevel=error"], PACKAGE_DIR, 0, 120_000);
  timings.pack = packed.seconds;
  const name = readdirSync(work).find((file) => file.endsWith(".tgz"));
  if (!name) throw new Error(`npm pack left no tarball in ${work}:\n${packed.stdout}\n${packed.stderr}`);
  tarball = join(work, name);

  cpSync(FIXTURE, project, { recursive: true });
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify(
      {
        name: "velox-consumer",
        private: true,
        type: "module",
        dependencies: { velox: `file:${tarball}`, zod: versionOf("zod") },
        devDependencies: { "@types/node": versionOf("@types/node") },
      },
      null,
      2,
    )}\n`,
  );
  const compilerOptions = { target: "ES2022", lib: ["ES2023"], types: ["node"], strict: true, skipLibCheck: false, noUncheckedIndexedAccess: true, forceConsistentCasingInFileNames: true };
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { ...compilerOptions, module: "nodenext", moduleResolution: "nodenext", outDir: "dist", rootDir: "src" }, include: ["src"] }, null, 2),
  );
  writeFileSync(
    join(project, "tsconfig.bundler.json"),
    JSON.stringify({ compilerOptions: { ...compilerOptions, module: "esnext", moduleResolution: "bundler", noEmit: true }, include: ["src"] }, null, 2),
  );
  const installed = await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], project, 0, 240_000);
  timings.install = installed.seconds;
  timings.setup = (performance.now() - started) / 1000;
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  const figures = Object.entries(timings).map(([step, seconds]) => `${step} ${seconds.toFixed(1)} s`);
  if (figures.length > 0) console.log(`package consumer test: ${figures.join(", ")}`);
});

describe("the packed package in a fresh project", () => {
  it("builds before packing: prepack runs the build, which starts from an empty dist/", () => {
    const { scripts } = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(scripts.prepack).toBe("npm run build");
    expect(scripts.build).toBe("npm run clean && tsc -p tsconfig.build.json");
  });

  it("contains the compiled entries, the bin and the sources, and no tests", async () => {
    const { stdout } = await run("tar", ["-tzf", tarball], work);
    const files = stdout.trim().split("\n").map((file) => file.replace(/^package\//, ""));
    for (const file of ["package.json", "README.md", "LICENSE", "bin/velox.js", "dist/index.js", "dist/index.d.ts", "dist/server/index.js", "dist/testing/index.d.ts", "dist/server/cli/main.js", "src/index.ts"]) {
      expect(files, file).toContain(file);
    }
    expect(files.filter((file) => /\.test(-d)?\.(ts|js)$|^test\/|tsconfig/.test(file))).toEqual([]);
    console.log(`npm pack: ${files.length} files, ${(statSync(tarball).size / 1024).toFixed(0)} KiB packed`);
    const manifest = JSON.parse(readFileSync(join(project, "node_modules/velox/package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).not.toContain("tsx");
    // Installed from the tarball (a copy), not linked to the workspace.
    expect(statSync(join(project, "node_modules/velox")).isSymbolicLink()).toBe(false);
  });

  it("type-checks under nodenext (and emits) and under bundler, strict, without skipLibCheck", async () => {
    const [nodenext, bundler] = await Promise.all([
      run(process.execPath, [TSC, "-p", "tsconfig.json"], project, null),
      run(process.execPath, [TSC, "-p", "tsconfig.bundler.json"], project, null),
    ]);
    timings.tscNodenext = nodenext.seconds;
    timings.tscBundler = bundler.seconds;
    expect({ code: nodenext.code, output: nodenext.stdout + nodenext.stderr }).toEqual({ code: 0, output: "" });
    expect({ code: bundler.code, output: bundler.stdout + bundler.stderr }).toEqual({ code: 0, output: "" });
  }, 180_000);

  it("runs the compiled app with plain node and answers over a socket", async () => {
    const server = startServer(process.execPath, ["dist/main.js"], project, /LISTENING (http:\/\/\S+)/);
    try {
      const url = await server.url;
      const ok = await fetch(`${url}/items/5?q=hat&limit=3`);
      expect({ status: ok.status, body: await ok.json() }).toEqual({ status: 200, body: { id: 5, q: "hat", limit: 3 } });
      expect(await (await fetch(`${url}/items/7`)).json()).toEqual({ id: 7, q: null, limit: 10 });

      const bad = await fetch(`${url}/items/0?limit=many`);
      expect(bad.status).toBe(422);
      const detail = ((await bad.json()) as { detail: { loc: string[]; type: string }[] }).detail;
      expect(detail.map((d) => d.loc)).toEqual(expect.arrayContaining([["path", "id"], ["query", "limit"]]));

      const missing = await fetch(`${url}/items/404`);
      expect({ status: missing.status, body: await missing.json() }).toEqual({ status: 404, body: { detail: "no such item" } });

      const created = await fetch(`${url}/items`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Hat", price: 2.5, extra: 1 }) });
      expect({ status: created.status, body: await created.json() }).toEqual({ status: 201, body: { id: 1, name: "Hat", price: 2.5 } });
      const invalid = await fetch(`${url}/items`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "", price: -1 }) });
      expect(invalid.status).toBe(422);
      expect(((await invalid.json()) as { detail: { loc: string[] }[] }).detail.map((d) => d.loc)).toEqual([["body", "name"], ["body", "price"]]);
    } finally {
      await server.stop();
    }
  }, 90_000);

  it("loads velox, velox/server and velox/testing without the optional peers, and says what to install", async () => {
    const { stdout } = await run(process.execPath, ["dist/peers.js"], project);
    const report = JSON.parse(stdout.trim()) as {
      docs: { status: number; body: string };
      openapi: { status: number; paths: string[] };
      testClient: { ok: boolean; code: string | null; message: string };
    };
    expect(report.openapi).toEqual({ status: 200, paths: ["/items/{id}", "/items", "/wrong"] });
    expect(report.docs.status).toBe(501);
    expect(report.docs.body).toContain("npm install swagger-ui-dist");
    expect(report.testClient).toMatchObject({ ok: false, code: "VX_MISSING_PEER" });
    expect(report.testClient.message).toContain("npm install --save-dev light-my-request");
  }, 60_000);

  it("velox CLI: writes the OpenAPI document of the compiled app; a .ts app needs tsx, which it then registers", async () => {
    const bin = join(project, "node_modules/.bin/velox");
    const openapi = await run(bin, ["openapi", "dist/app.js"], project);
    expect((JSON.parse(openapi.stdout) as { info: { title: string } }).info.title).toBe("Consumer");

    const args = ["run", "src/app.ts", "--workers", "0", "--port", "0", "--host", "127.0.0.1"];
    const failed = await run(bin, args, project, 1);
    expect(failed.stdout + failed.stderr).toMatch(/src\/app\.ts is TypeScript and no TypeScript loader is active.*npm install --save-dev tsx/);

    const installed = await run("npm", ["install", "--save-dev", `tsx@${versionOf("tsx")}`, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], project, 0, 120_000);
    timings.installTsx = installed.seconds;
    const server = startServer(bin, args, project, /"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
    try {
      const res = await fetch(`${await server.url}/items/9`);
      expect(await res.json()).toEqual({ id: 9, q: null, limit: 10 });
    } finally {
      await server.stop();
    }
  }, 180_000);
});
