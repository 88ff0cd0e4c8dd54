import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { generateOpenAPI } from "./generate.ts";
import { loadApp } from "./load-app.ts";
import type { OpenAPIDocument } from "./types.ts";

/**
 * Where `writeOpenAPI` resolves paths and writes when no file is given.
 *
 * @example
 * ```ts
 * let text = "";
 * await writeOpenAPI("src/main.ts", undefined, { cwd: "/srv/app", stdout: { write: (c: string) => (text += c) } });
 * ```
 */
export interface WriteOpenAPIOptions {
  /** Base directory for relative paths (default `process.cwd()`). */
  cwd?: string;
  /** Stream for the document when `outFile` is omitted (default `process.stdout`). */
  stdout?: { write(chunk: string): unknown };
}

/**
 * Writes the OpenAPI document of the app exported by a module to `outFile` (directories are
 * created), or to stdout — what `velox openapi <module> [--out file]` runs. The module is imported
 * but the app is not started: no lifespan runs and no port is opened. Name the export with
 * `module.ts#name` when it is not `app` or the default export.
 *
 * @example
 * ```ts
 * await writeOpenAPI("src/main.ts", "openapi.json");
 * await writeOpenAPI("src/main.ts#createApp"); // to stdout
 * ```
 */
export async function writeOpenAPI(modulePath: string, outFile?: string, options: WriteOpenAPIOptions = {}): Promise<OpenAPIDocument> {
  const cwd = options.cwd ?? process.cwd();
  const app = await loadApp(modulePath, cwd);
  const document = generateOpenAPI(app);
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (outFile === undefined) {
    (options.stdout ?? process.stdout).write(text);
  } else {
    const target = resolve(cwd, outFile);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  return document;
}
