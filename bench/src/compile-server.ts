/**
 * Compiles a Node contract server into one ESM file with esbuild, as apps are deployed: plain
 * JavaScript, no loader at run time. Running TypeScript through a loader would tax code by where
 * it lives (tsx's esbuild keeps function names, wrapping every named closure a request creates),
 * so a framework shipped as TypeScript source would pay for what the compiled ones do not.
 */
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

// CommonJS packages inside an ESM bundle still call require() for node's built-in modules.
const REQUIRE_SHIM = 'import { createRequire as __benchRequire } from "node:module"; const require = __benchRequire(import.meta.url);';

let outDir: string | null = null;
const builds = new Map<string, Promise<string>>();

function buildDir(): string {
  if (outDir === null) {
    outDir = mkdtempSync(join(tmpdir(), "velox-bench-"));
    process.once("exit", removeCompiledServers);
  }
  return outDir;
}

/**
 * Deletes this process's compiled servers (also done at exit; test runners that end workers
 * without an exit event call it themselves).
 *
 * @example
 * ```ts
 * afterAll(removeCompiledServers);
 * ```
 */
export function removeCompiledServers(): void {
  if (outDir !== null) rmSync(outDir, { recursive: true, force: true });
  outDir = null;
  builds.clear();
}

/**
 * The path of the compiled server, built once per process (the files go when the process exits).
 *
 * @example
 * ```ts
 * const file = await compiledServer("/repo/bench/servers/velox.ts");
 * spawn(process.execPath, [file, "--port", "3000"]);
 * ```
 */
export function compiledServer(entry: string): Promise<string> {
  let built = builds.get(entry);
  if (built === undefined) {
    const outfile = join(buildDir(), basename(entry).replace(/\.ts$/, ".mjs"));
    built = build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // The TypeScript sources of velox, not its dist/ (docs/packaging.md).
      conditions: ["velox-source"],
      banner: { js: REQUIRE_SHIM },
      logLevel: "silent",
    }).then(() => outfile);
    builds.set(entry, built);
  }
  return built;
}
