import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { OpenAPIApp } from "./generate.ts";

/**
 * True for objects that look like a Velox app to the generator.
 *
 * @example
 * ```ts
 * isOpenAPIApp(new Velox()); // true
 * isOpenAPIApp({}); // false
 * ```
 */
export function isOpenAPIApp(value: unknown): value is OpenAPIApp {
  if (typeof value !== "object" || value === null) return false;
  const app = value as Partial<OpenAPIApp>;
  return Array.isArray(app.routes) && "compiledPlans" in app && typeof app.config === "object" && app.config !== null;
}

/**
 * Imports a module and finds the app in it: `path/to/module.ts#exportName` names the export;
 * otherwise `app`, then the default export, then the only exported app. A module may also export a
 * function (sync or async) returning the app, e.g. `createApp`, named explicitly after `#`.
 *
 * @example
 * ```ts
 * const app = await loadApp("src/main.ts");          // export const app = new Velox(...)
 * const other = await loadApp("src/main.ts#createApp"); // export function createApp() { ... }
 * ```
 */
export async function loadApp(specifier: string, cwd = process.cwd()): Promise<OpenAPIApp> {
  const hash = specifier.lastIndexOf("#");
  const file = hash > 0 ? specifier.slice(0, hash) : specifier;
  const exportName = hash > 0 ? specifier.slice(hash + 1) : undefined;
  const module = (await import(pathToFileURL(resolve(cwd, file)).href)) as Record<string, unknown>;
  const pick = async (value: unknown): Promise<OpenAPIApp | undefined> => {
    if (isOpenAPIApp(value)) return value;
    if (typeof value === "function" && exportName !== undefined) {
      const made = await (value as () => unknown)();
      if (isOpenAPIApp(made)) return made;
    }
    return undefined;
  };
  if (exportName !== undefined) {
    const app = await pick(module[exportName]);
    if (app) return app;
    throw new Error(`${file}: export "${exportName}" is not a Velox app (or a function returning one)`);
  }
  for (const name of ["app", "default"]) {
    const app = await pick(module[name]);
    if (app) return app;
  }
  const apps = Object.values(module).filter(isOpenAPIApp);
  if (apps.length === 1) return apps[0]!;
  throw new Error(
    apps.length === 0
      ? `${file} exports no Velox app: export it as "app" or name it with ${file}#exportName`
      : `${file} exports several Velox apps: name one with ${file}#exportName`,
  );
}
