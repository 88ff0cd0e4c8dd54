import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ServableApp } from "../running-server.ts";
import { ServeError } from "../serve-error.ts";

/** `src/main.ts:api` → file `src/main.ts`, export `api`. A Windows drive letter is not an export. */
export function splitModuleSpec(spec: string): { file: string; exportName: string | null } {
  const colon = spec.lastIndexOf(":");
  const name = colon === -1 ? "" : spec.slice(colon + 1);
  if (colon > 1 && /^[A-Za-z_$][\w$]*$/.test(name)) return { file: spec.slice(0, colon), exportName: name };
  return { file: spec, exportName: null };
}

function isServable(value: unknown): value is ServableApp {
  const app = value as Partial<ServableApp> | null;
  return typeof app === "object" && app !== null && typeof app.handler === "function" && typeof app.ready === "function" && typeof app.close === "function";
}

/**
 * Imports the module named on the command line and returns its app: the named export, else the
 * default export, else the export `app`.
 *
 * @example
 * ```ts
 * const app = await loadApp("src/main.ts", process.cwd());
 * const api = await loadApp("src/main.ts:api", process.cwd());
 * ```
 */
export async function loadApp(spec: string, cwd: string): Promise<ServableApp> {
  const { file, exportName } = splitModuleSpec(spec);
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new ServeError("VX_APP_NOT_FOUND", `no such module: ${path}`);
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const candidate = exportName !== null ? module[exportName] : module.default ?? module.app;
  if (!isServable(candidate)) {
    const wanted = exportName !== null ? `an export named "${exportName}"` : `a default export or an export named "app"`;
    throw new ServeError("VX_APP_NOT_FOUND", `${file} has no Velox app: expected ${wanted} with handler(), ready() and close()`);
  }
  return candidate;
}
