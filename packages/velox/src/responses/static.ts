import { realpathSync, statSync } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { VeloxError } from "../errors.ts";
import { HTTPException } from "../http-exception.ts";
import { Router } from "../router.ts";
import { FileResponse } from "./file.ts";
import { RedirectResponse } from "./simple.ts";

/**
 * Options of {@link staticFiles}.
 *
 * @example
 * ```ts
 * const options: StaticFilesOptions = { prefix: "/assets", index: false, dotfiles: "ignore", cacheControl: "public, max-age=31536000, immutable" };
 * ```
 */
export interface StaticFilesOptions {
  /** URL prefix the files are served under: `/static`. */
  prefix: string;
  /** File served for a directory (default `index.html`); `false` answers 404 for directories. */
  index?: string | false;
  /**
   * Names starting with `.` anywhere in the path: `deny` (default) answers 403 whether or not
   * the file exists, `ignore` answers 404, `allow` serves them.
   */
  dotfiles?: "deny" | "ignore" | "allow";
  /** Cache-Control for every file served (none by default). */
  cacheControl?: string;
}

/** The wildcard parameter as a plain string (Velox's core has no validation library of its own). */
const filePath: StandardSchemaV1<string, string> = {
  "~standard": {
    version: 1,
    vendor: "velox",
    validate: (value) => (typeof value === "string" ? { value } : { issues: [{ message: "Input should be a valid string" }] }),
    jsonSchema: { input: () => ({ type: "string" }), output: () => ({ type: "string" }) },
  } as StandardSchemaV1<string, string>["~standard"],
};

// Checked on the raw URL: the router decodes these into "/", "\" and NUL, which would
// otherwise reach the file system as path structure.
const ENCODED_SEPARATOR_OR_NUL = /%(?:2f|5c|00)/i;

const badPath = () => new HTTPException(400, "Invalid file path");
const notFound = () => new HTTPException(404, "Not Found");

function isInside(root: string, target: string): boolean {
  return target === root || target.startsWith(root.endsWith(sep) ? root : root + sep);
}

async function realStat(path: string): Promise<{ real: string; isFile: boolean; isDirectory: boolean } | null> {
  try {
    const real = await realpath(path);
    const stats = await stat(real);
    return { real, isFile: stats.isFile(), isDirectory: stats.isDirectory() };
  } catch {
    return null;
  }
}

/**
 * Serves the files under `root` at `prefix` as a router to include: GET (and HEAD) of
 * `{prefix}/{file_path:path}` answers with a {@link FileResponse} (conditional and range
 * requests included). Hostile paths never leave the root: `..` or `.` segments, empty segments,
 * NUL and encoded slashes or backslashes answer 400; dotfiles 403 (see `dotfiles`); missing
 * files, directories without an index, and symlinks that resolve outside the root 404.
 *
 * @example
 * ```ts
 * app.include(staticFiles("./public", { prefix: "/static", cacheControl: "public, max-age=3600" }));
 * // GET /static/css/site.css -> ./public/css/site.css
 * ```
 */
export function staticFiles(root: string, options: StaticFilesOptions): Router {
  const base = resolve(root);
  let realRoot: string;
  try {
    realRoot = realpathSync(base);
    if (!statSync(realRoot).isDirectory()) throw new Error("not a directory");
  } catch {
    throw new VeloxError("VX_INVALID_OPTION", `staticFiles: ${JSON.stringify(root)} is not a directory`);
  }
  const index = options.index ?? "index.html";
  if (index !== false && (index === "" || /[/\\\0]/.test(index) || index.startsWith("."))) {
    throw new VeloxError("VX_INVALID_OPTION", `staticFiles: index must be a plain file name, got ${JSON.stringify(index)}`);
  }
  const dotfiles = options.dotfiles ?? "deny";
  const checkDotfiles = (segments: readonly string[]) => {
    if (dotfiles === "allow" || !segments.some((s) => s.startsWith("."))) return;
    throw dotfiles === "deny" ? new HTTPException(403, "Forbidden") : notFound();
  };
  const headers = options.cacheControl === undefined ? undefined : { "cache-control": options.cacheControl };

  const router = new Router({ prefix: options.prefix, includeInSchema: false });
  router.get("/{file_path:path}", { path: { file_path: filePath }, includeInSchema: false }, async (ctx) => {
    const url = ctx.req.url ?? "/";
    const q = url.indexOf("?");
    const rawPath = q === -1 ? url : url.slice(0, q);
    const requested = ctx.path.file_path;
    if (ENCODED_SEPARATOR_OR_NUL.test(rawPath) || requested.includes("\0") || requested.includes("\\")) throw badPath();
    const wantsDirectory = requested === "" || requested.endsWith("/");
    const segments = requested === "" ? [] : (wantsDirectory ? requested.slice(0, -1) : requested).split("/");
    if (segments.some((s) => s === "" || s === "." || s === "..")) throw badPath();
    checkDotfiles(segments);

    let found = await realStat(join(realRoot, ...segments));
    if (found === null || !isInside(realRoot, found.real)) throw notFound();
    // A symlink inside the root may point at a dotfile inside the root.
    checkDotfiles(relative(realRoot, found.real).split(sep));
    if (found.isDirectory) {
      if (index === false) throw notFound();
      const indexFile = await realStat(join(found.real, index));
      if (indexFile === null || !indexFile.isFile || !isInside(realRoot, indexFile.real)) throw notFound();
      checkDotfiles(relative(realRoot, indexFile.real).split(sep));
      // Relative links in the index resolve against the directory only with a trailing slash.
      if (!wantsDirectory) return new RedirectResponse(`${rawPath}/${q === -1 ? "" : url.slice(q)}`, 307);
      found = indexFile;
    } else if (wantsDirectory || !found.isFile) throw notFound();
    return new FileResponse(found.real, { headers }).prepare(ctx.req);
  });
  return router;
}
