import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ServeError } from "../serve-error.ts";

/** Set by bin/velox.js (and here) once a TypeScript loader is registered in this process. */
const MARK = Symbol.for("velox.typescript-loader");
const TYPESCRIPT = new Set([".ts", ".mts", ".cts"]);
/** Flags through which a user brings their own loader (tsx, ts-node, swc...) or Node's own stripping. */
const LOADER_FLAG = /^(?:--import|--loader|--experimental-loader|--require|-r|--experimental-strip-types|--experimental-transform-types)(?:=|$)/;

/** How the CLI will load an app module: no loader needed, one already active, tsx registered now, or Node's type stripping. */
export type TypeScriptLoading = "javascript" | "active" | "tsx" | "native";

/** What {@link ensureTypeScriptLoader} looks at; tests pass their own. */
export interface LoaderEnvironment {
  execArgv: readonly string[];
  nodeOptions: string | undefined;
  /** Node's type stripping is on (`process.features.typescript`, Node ≥ 22.18). */
  nativeTypeScript: boolean;
  /** Registers tsx from the module's project; false when tsx is not installed there. */
  registerTsx(file: string): Promise<boolean>;
}

type ExportTarget = string | null | { import?: ExportTarget; default?: ExportTarget } | undefined;

/** The ESM entry of a package subpath, read from its `exports` (require.resolve would give the CJS one). */
function esmEntry(packageJson: string, subpath: string): string | null {
  const manifest = JSON.parse(readFileSync(packageJson, "utf8")) as { exports?: Record<string, ExportTarget> };
  let target = manifest.exports?.[subpath];
  while (target !== null && typeof target === "object") target = target.import ?? target.default;
  return typeof target === "string" ? join(dirname(packageJson), target) : null;
}

/**
 * The path of tsx's ESM API as installed for `from`: the user's project first, else beside Velox
 * (its optional peer); null when neither has it.
 *
 * @example
 * ```ts
 * findTsx("/srv/app/src/main.ts"); // "/srv/app/node_modules/tsx/dist/esm/api/index.mjs"
 * ```
 */
export function findTsx(from: string): string | null {
  for (const base of [from, fileURLToPath(import.meta.url)]) {
    // Node's own lookup folders, without going through tsx's `exports` for its package.json.
    for (const folder of createRequire(base).resolve.paths("tsx") ?? []) {
      const manifest = join(folder, "tsx", "package.json");
      if (!existsSync(manifest)) continue;
      const entry = esmEntry(manifest, "./esm/api");
      if (entry !== null) return entry;
    }
  }
  return null;
}

/**
 * Registers tsx as installed in `file`'s project (or beside Velox, as its optional peer).
 * Resolves false when tsx is not installed.
 *
 * @example
 * ```ts
 * if (!(await registerTsxFrom("/srv/app/src/main.ts"))) console.error("install tsx");
 * ```
 */
export async function registerTsxFrom(file: string): Promise<boolean> {
  const api = findTsx(file);
  if (api === null) return false;
  const { register } = (await import(pathToFileURL(api).href)) as { register: () => unknown };
  register();
  return true;
}

function processEnvironment(): LoaderEnvironment {
  return {
    execArgv: process.execArgv,
    nodeOptions: process.env.NODE_OPTIONS,
    nativeTypeScript: Boolean((process.features as { typescript?: unknown }).typescript),
    registerTsx: registerTsxFrom,
  };
}

function noLoader(file: string): ServeError {
  return new ServeError(
    "VX_NO_TYPESCRIPT_LOADER",
    `${file} is TypeScript and no TypeScript loader is active. Install tsx in your project (npm install --save-dev tsx) ` +
      "and velox will use it, or compile the app with tsc and run the JavaScript (velox run dist/main.js).",
  );
}

/**
 * Makes sure the app module the CLI is about to import can be loaded. JavaScript needs nothing;
 * for `.ts`/`.mts`/`.cts`, a loader the user started node with (`--import tsx`, ...) is kept, else
 * tsx is registered when the app's project has it installed (an optional peer of Velox), else
 * Node's own type stripping is used where it is on, else this fails with a `ServeError`
 * (`VX_NO_TYPESCRIPT_LOADER`) saying to install tsx or run the compiled JavaScript.
 *
 * @example
 * ```ts
 * await ensureTypeScriptLoader("/srv/app/src/main.ts"); // "tsx" when the project has tsx
 * const { app } = await import("/srv/app/src/main.ts");
 * ```
 */
export async function ensureTypeScriptLoader(file: string, env: LoaderEnvironment = processEnvironment()): Promise<TypeScriptLoading> {
  if (!TYPESCRIPT.has(extname(file).toLowerCase())) return "javascript";
  const global = globalThis as Record<symbol, unknown>;
  if (global[MARK] !== undefined) return "active";
  const flags = [...env.execArgv, ...(env.nodeOptions ?? "").split(/\s+/)];
  if (flags.some((flag) => LOADER_FLAG.test(flag))) return "active";
  if (await env.registerTsx(file)) {
    global[MARK] = "tsx";
    return "tsx";
  }
  if (env.nativeTypeScript) return "native";
  throw noLoader(file);
}

/**
 * Turns Node's "Unknown file extension .ts" (a loader flag was given, but none handles
 * TypeScript) into the same advice {@link ensureTypeScriptLoader} gives; other errors pass through.
 *
 * @example
 * ```ts
 * try { await import(url); } catch (err) { throw explainLoadError(err, file); }
 * ```
 */
export function explainLoadError(err: unknown, file: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "ERR_UNKNOWN_FILE_EXTENSION" && TYPESCRIPT.has(extname(file).toLowerCase()) ? noLoader(file) : err;
}
