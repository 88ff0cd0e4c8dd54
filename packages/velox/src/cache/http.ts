import { createHash } from "node:crypto";
import type { RequestContext } from "../context.ts";
import type { RouteHooks } from "../hooks.ts";
import { ifNoneMatchMatches } from "../responses/entity-tag.ts";
import { VeloxResponse } from "../responses/response.ts";

/** `Cache-Control` directives; times in seconds. */
export interface CacheControlOptions {
  /** `public` (shared caches may keep it) or `private` (the default: only the client's). */
  scope?: "public" | "private";
  maxAge?: number;
  /** `s-maxage`: the lifetime in shared caches (CDNs). */
  sMaxAge?: number;
  staleWhileRevalidate?: number;
  staleIfError?: number;
  /** `no-cache`: keep it, but revalidate (If-None-Match) before each use. */
  noCache?: boolean;
  /** `no-store`: never keep it (an ETag is then pointless and not sent). */
  noStore?: boolean;
  mustRevalidate?: boolean;
  immutable?: boolean;
}

/** Options of {@link httpCaching}. */
export interface HttpCachingOptions extends CacheControlOptions {
  /** ETag of the serialised body: `weak` (default, survives compression), `strong`, or `false` for none. */
  etag?: "weak" | "strong" | false;
  /**
   * A cheap version of the resource (an `updated_at`, a counter). The ETag is made from it
   * before the handler runs, so a matching `If-None-Match` gets its 304 without running the
   * handler or serialising anything.
   */
  version?: (ctx: RequestContext) => string | number | Promise<string | number>;
  /** Request headers the response varies by (`Vary`). */
  vary?: readonly string[];
}

/**
 * The `Cache-Control` value for `options`.
 *
 * @example
 * ```ts
 * cacheControl({ scope: "public", maxAge: 60, staleWhileRevalidate: 30 }); // "public, max-age=60, stale-while-revalidate=30"
 * ```
 */
export function cacheControl(options: CacheControlOptions): string {
  if (options.noStore) return "no-store";
  const seconds = (name: string, value: number | undefined): string[] => (value === undefined ? [] : [`${name}=${Math.max(0, Math.floor(value))}`]);
  return [
    options.scope ?? "private",
    ...(options.noCache ? ["no-cache"] : []),
    ...seconds("max-age", options.maxAge),
    ...seconds("s-maxage", options.sMaxAge),
    ...seconds("stale-while-revalidate", options.staleWhileRevalidate),
    ...seconds("stale-if-error", options.staleIfError),
    ...(options.mustRevalidate ? ["must-revalidate"] : []),
    ...(options.immutable ? ["immutable"] : []),
  ].join(", ");
}

/**
 * An entity-tag for a body: a SHA-1 of its bytes (a validator, not a security token).
 *
 * @example
 * ```ts
 * etagOf('{"id":1}'); // 'W/"…27 characters…"'
 * ```
 */
export function etagOf(body: string | Buffer, weak = true): string {
  const digest = createHash("sha1").update(body).digest("base64url");
  return weak ? `W/"${digest}"` : `"${digest}"`;
}

/** Characters an entity-tag may hold (RFC 9110 §8.8.3 `etagc`); a version with others is hashed. */
const ETAG_SAFE = /^[\x21\x23-\x7e]{1,200}$/;

function versionTag(version: string | number, weak: boolean): string {
  const text = String(version);
  const opaque = ETAG_SAFE.test(text) ? text : createHash("sha1").update(text).digest("base64url");
  return weak ? `W/"${opaque}"` : `"${opaque}"`;
}

/** Headers a 304 keeps (RFC 9110 §15.4.5). */
const NOT_MODIFIED_HEADERS = ["etag", "cache-control", "expires", "vary", "content-location", "date"];

function notModified(response: { headers: Record<string, string | number | readonly string[]> }): VeloxResponse {
  const kept: Record<string, string | number | readonly string[]> = {};
  for (const name of NOT_MODIFIED_HEADERS) if (response.headers[name] !== undefined) kept[name] = response.headers[name]!;
  return new VeloxResponse(null, { status: 304, headers: kept });
}

const isRead = (method: string): boolean => method === "GET" || method === "HEAD";

/**
 * Route hooks for HTTP caching of a GET route: `Cache-Control`, an `ETag` (from the serialised
 * body, or from `version` before the handler runs), and `304 Not Modified` when the request's
 * `If-None-Match` matches (weak comparison; `*` and lists understood). Only successful (200)
 * GET/HEAD responses get validators.
 *
 * @example
 * ```ts
 * app.get("/items/popular", { hooks: httpCaching({ maxAge: 5, staleWhileRevalidate: 30 }) }, () => items.popular());
 * ```
 */
export function httpCaching(options: HttpCachingOptions = {}): RouteHooks {
  const control = cacheControl(options);
  const etag = options.noStore ? false : (options.etag ?? "weak");
  const weak = etag !== "strong";
  const vary = options.vary?.join(", ");
  const versions = new WeakMap<RequestContext, string>();
  const headersOf = (tag: string | undefined): Record<string, string> => ({
    "cache-control": control,
    ...(tag === undefined ? {} : { etag: tag }),
    ...(vary === undefined ? {} : { vary }),
  });
  const version = options.version;
  const hooks: RouteHooks = {
    onSend: (ctx, response) => {
      if (!isRead(ctx.method) || response.status !== 200) return;
      let tag = versions.get(ctx);
      if (tag === undefined && etag !== false && response.body !== null) tag = etagOf(response.body, weak);
      for (const [name, value] of Object.entries(headersOf(tag))) response.setHeader(name, value);
      if (tag !== undefined && ifNoneMatchMatches(ctx.req.headers["if-none-match"], tag)) return notModified(response);
    },
  };
  if (version !== undefined && etag !== false) {
    hooks.preHandler = async (ctx) => {
      if (!isRead(ctx.method)) return;
      const tag = versionTag(await version(ctx), weak);
      versions.set(ctx, tag);
      if (ifNoneMatchMatches(ctx.req.headers["if-none-match"], tag)) return notModified({ headers: headersOf(tag) });
    };
  }
  return hooks;
}
