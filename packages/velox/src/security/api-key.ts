import type { IncomingMessage } from "node:http";
import { parse as parseCookies } from "cookie";
import type { Dependency } from "../di/dependency.ts";
import { VeloxError } from "../errors.ts";
import { defineScheme, type SchemeOptions, type SchemeResult } from "./scheme.ts";

/** Options of the API key schemes. */
export interface APIKeyOptions extends SchemeOptions {
  /** The header, query parameter or cookie that carries the key (a header name is case-insensitive). */
  name: string;
}

type Location = "header" | "query" | "cookie";
type Reader = (req: IncomingMessage, name: string) => string | undefined;

/** A value sent more than once is ambiguous: treat it as absent rather than pick one. */
function single(values: readonly string[] | undefined): string | undefined {
  return values && values.length === 1 ? values[0] : undefined;
}

const readers: Record<Location, Reader> = {
  header: (req, name) => {
    const distinct = (req as { headersDistinct?: Record<string, string[] | undefined> }).headersDistinct;
    if (distinct) return single(distinct[name]);
    const value = req.headers[name];
    return typeof value === "string" ? value : single(value);
  },
  query: (req, name) => {
    const url = req.url ?? "";
    const q = url.indexOf("?");
    if (q === -1) return undefined;
    return single(new URLSearchParams(url.slice(q + 1)).getAll(name));
  },
  cookie: (req, name) => {
    const header = req.headers.cookie;
    return header ? parseCookies(header)[name] : undefined;
  },
};

const KIND: Record<Location, string> = { header: "APIKeyHeader", query: "APIKeyQuery", cookie: "APIKeyCookie" };

function apiKey<O extends APIKeyOptions>(location: Location, options: O): Dependency<SchemeResult<O, string>> {
  const kind = KIND[location];
  if (typeof options.name !== "string" || options.name === "") {
    throw new VeloxError("VX_INVALID_OPTION", `${kind}: "name" must be a non-empty string`);
  }
  const read = readers[location];
  const wire = location === "header" ? options.name.toLowerCase() : options.name;
  return defineScheme({
    kind,
    options,
    scheme: { type: "apiKey", in: location, name: options.name },
    // RFC 9110 wants a challenge with every 401; API keys have no standard one, so FastAPI sends "APIKey".
    challenge: "APIKey",
    extract: (req, missing) => read(req, wire) || missing(),
  }) as Dependency<SchemeResult<O, string>>;
}

/**
 * An API key in a request header: yields its value. Missing, empty or repeated → 401
 * `Not authenticated` with `WWW-Authenticate: APIKey` (FastAPI ≥ 0.122), or `undefined` with
 * `autoError: false`. Check the key with {@link safeCompare}.
 *
 * @example
 * ```ts
 * const apiKeyHeader = APIKeyHeader({ name: "X-API-Key" });
 * const checkKey = depends({ deps: { key: apiKeyHeader } }, ({ key }) => {
 *   if (!safeCompare(key, process.env.API_KEY!)) throw unauthorized(apiKeyHeader);
 * });
 * app.include(new Router({ prefix: "/admin", dependencies: [checkKey] }));
 * ```
 */
export function APIKeyHeader<const O extends APIKeyOptions>(options: O): Dependency<SchemeResult<O, string>> {
  return apiKey("header", options);
}

/**
 * An API key in a query parameter: yields its value, answering like {@link APIKeyHeader}.
 *
 * @example
 * ```ts
 * const key = APIKeyQuery({ name: "api_key", autoError: false });
 * app.get("/feed", { deps: { key } }, ({ key }) => (key ? fullFeed(key) : publicFeed()));
 * ```
 */
export function APIKeyQuery<const O extends APIKeyOptions>(options: O): Dependency<SchemeResult<O, string>> {
  return apiKey("query", options);
}

/**
 * An API key in a cookie: yields its value, answering like {@link APIKeyHeader}.
 *
 * @example
 * ```ts
 * const session = APIKeyCookie({ name: "session" });
 * app.get("/me", { deps: { session } }, ({ session }) => userForSession(session));
 * ```
 */
export function APIKeyCookie<const O extends APIKeyOptions>(options: O): Dependency<SchemeResult<O, string>> {
  return apiKey("cookie", options);
}
