import type { IncomingMessage, ServerResponse } from "node:http";
import { VeloxError } from "./errors.ts";

/** What `app.mount` serves: another Velox app (anything with `handler`), or a node `(req, res)` handler. */
export type MountTarget = { handler: (req: IncomingMessage, res: ServerResponse) => void } | ((req: IncomingMessage, res: ServerResponse) => void);

/** One mounted app: its path prefix and how to serve it. */
export interface Mount {
  prefix: string;
  name: string | undefined;
  serve: (req: IncomingMessage, res: ServerResponse) => void;
  /** The mounted Velox app, for `urlFor("name:route")`. */
  app: unknown;
}

/**
 * Checks a mount prefix: it starts with `/`, does not end with one, has no parameters.
 *
 * @example
 * ```ts
 * checkMountPrefix("/v2"); // "/v2"
 * ```
 */
export function checkMountPrefix(prefix: string): string {
  if (typeof prefix !== "string" || !prefix.startsWith("/") || prefix.endsWith("/") || /[{}?#\s]/.test(prefix)) {
    throw new VeloxError("VX_INVALID_MOUNT", `app.mount(): the prefix must start with "/", not end with "/" and have no parameters, got ${JSON.stringify(prefix)}`);
  }
  return prefix;
}

/** Whether `url` is `prefix` itself or below it (`/v2`, `/v2/...`, `/v2?x`), never `/v2x`. */
export function underPrefix(url: string, prefix: string): boolean {
  if (!url.startsWith(prefix)) return false;
  const next = url.charCodeAt(prefix.length);
  return Number.isNaN(next) || next === 47 /* / */ || next === 63 /* ? */;
}

/**
 * The mount a request URL falls under (the longest prefix first), with the URL the mounted app
 * sees: the rest of the path (`/` at least) and the query.
 *
 * @example
 * ```ts
 * matchMount([{ prefix: "/v2", ... }], "/v2/items?x=1"); // { mount, url: "/items?x=1" }
 * ```
 */
export function matchMount(mounts: readonly Mount[], url: string): { mount: Mount; url: string } | null {
  for (const mount of mounts) {
    if (!underPrefix(url, mount.prefix)) continue;
    const rest = url.slice(mount.prefix.length);
    return { mount, url: rest === "" || rest.startsWith("?") ? `/${rest}` : rest };
  }
  return null;
}
