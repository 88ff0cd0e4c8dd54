import { VeloxError } from "../errors.ts";
import type { HeaderMap } from "../responses/headers.ts";
import { appendVary } from "./vary.ts";

/** Options of the CORS middleware (Starlette's `CORSMiddleware` names, camel-cased; same defaults). */
export interface CorsOptions {
  /** Origins allowed (`https://app.example.com`), or `"*"` for any. Default: none. */
  allowOrigins?: readonly string[] | "*";
  /** Origins matching this pattern in full are allowed too (`/^https:\/\/[a-z]+\.example\.com$/`). */
  allowOriginRegex?: RegExp | string;
  /** Methods a preflight may ask for, or `"*"`. Default `["GET"]`; GET, HEAD and POST never need listing. */
  allowMethods?: readonly string[] | "*";
  /** Request headers a preflight may ask for, or `"*"`. Accept, Accept-Language, Content-Language and Content-Type are always allowed. */
  allowHeaders?: readonly string[] | "*";
  /** Let the browser send cookies and `Authorization` (`Access-Control-Allow-Credentials: true`). Default false. */
  allowCredentials?: boolean;
  /** Response headers the page's script may read, or `"*"`. Default none. */
  exposeHeaders?: readonly string[] | "*";
  /** How long (seconds) a browser may cache a preflight answer (default 600; Chromium caps it at 7200). */
  maxAge?: number;
  /** Answer Private Network Access preflights (`Access-Control-Allow-Private-Network: true`). Default false. */
  allowPrivateNetwork?: boolean;
}

const SAFELISTED_METHODS = new Set(["GET", "HEAD", "POST"]);
const SAFELISTED_HEADERS = ["accept", "accept-language", "content-language", "content-type"];
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** What a preflight is answered with. */
export interface PreflightAnswer {
  status: 204 | 400;
  headers: HeaderMap;
  /** Plain-text reason of a 400, as Starlette words it. */
  body: string | null;
}

/** The headers of a preflight request that matter. */
export interface PreflightRequest {
  origin: string;
  method: string;
  headers: string | undefined;
  privateNetwork: boolean;
}

function fail(message: string): never {
  throw new VeloxError("VX_INVALID_OPTION", `cors: ${message}`);
}

/** `https://Example.com:443/` → `https://example.com`; a path, query or credentials are a mistake. */
function normalizeOrigin(raw: string): string {
  if (raw === "null") return raw;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail(`${JSON.stringify(raw)} in allowOrigins is not an origin (scheme://host[:port])`);
  }
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "" || raw.endsWith("//")) {
    fail(`${JSON.stringify(raw)} in allowOrigins has a path, query or credentials; an origin is scheme://host[:port]`);
  }
  if (url.origin === "null") fail(`${JSON.stringify(raw)} in allowOrigins has no origin (use http: or https:)`);
  return url.origin;
}

function fullMatcher(pattern: RegExp | string): (origin: string) => boolean {
  if (typeof pattern === "string") {
    const re = new RegExp(`^(?:${pattern})$`, "u");
    return (origin) => re.test(origin);
  }
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
  return (origin) => {
    const m = re.exec(origin);
    return m !== null && m.index === 0 && m[0].length === origin.length;
  };
}

function tokens(name: string, list: readonly string[]): string[] {
  for (const item of list) if (!TOKEN.test(item)) fail(`${JSON.stringify(item)} in ${name} is not a valid token`);
  return [...list];
}

/**
 * A compiled CORS policy: which origins, methods and headers are allowed, and the headers each
 * kind of response gets. Everything that does not depend on the request is computed here, once.
 *
 * @example
 * ```ts
 * const policy = new CorsPolicy({ allowOrigins: ["http://localhost:3000"], allowMethods: ["*"] });
 * policy.allows("http://localhost:3000"); // true
 * ```
 */
export class CorsPolicy {
  private readonly anyOrigin: boolean;
  private readonly origins: ReadonlySet<string>;
  private readonly regex: ((origin: string) => boolean) | null;
  private readonly anyMethod: boolean;
  private readonly methods: ReadonlySet<string>;
  private readonly methodList: string;
  private readonly anyHeader: boolean;
  private readonly headers: ReadonlySet<string>;
  private readonly headerList: string;
  private readonly credentials: boolean;
  private readonly expose: string | "*" | null;
  private readonly maxAge: string;
  private readonly privateNetwork: boolean;
  /** True when the answer depends on the Origin header, so every response needs `Vary: Origin`. */
  readonly variesByOrigin: boolean;

  constructor(options: CorsOptions) {
    const origins = options.allowOrigins ?? [];
    this.anyOrigin = origins === "*" || origins.includes("*");
    this.origins = new Set(this.anyOrigin ? [] : (origins as readonly string[]).map(normalizeOrigin));
    this.regex = options.allowOriginRegex === undefined ? null : fullMatcher(options.allowOriginRegex);
    this.credentials = options.allowCredentials ?? false;
    const methods = options.allowMethods ?? ["GET"];
    this.anyMethod = methods === "*" || methods.includes("*");
    this.methods = new Set(this.anyMethod ? [] : tokens("allowMethods", methods as readonly string[]));
    this.methodList = [...this.methods].join(", ");
    const headers = options.allowHeaders ?? [];
    this.anyHeader = headers === "*" || headers.includes("*");
    const named = this.anyHeader ? [] : tokens("allowHeaders", headers as readonly string[]).map((h) => h.toLowerCase());
    this.headers = new Set([...SAFELISTED_HEADERS, ...named]);
    this.headerList = [...this.headers].join(", ");
    const expose = options.exposeHeaders ?? [];
    this.expose = expose === "*" || expose.includes("*") ? "*" : expose.length === 0 ? null : tokens("exposeHeaders", expose as readonly string[]).join(", ");
    const maxAge = options.maxAge ?? 600;
    if (!Number.isInteger(maxAge) || maxAge < 0) fail(`maxAge must be a non-negative integer of seconds, got ${String(maxAge)}`);
    this.maxAge = String(maxAge);
    this.privateNetwork = options.allowPrivateNetwork ?? false;
    // A wildcard answered with `*` is the same for every origin; anything echoed is not.
    this.variesByOrigin = !this.anyOrigin || this.credentials;
  }

  /** Whether a request from `origin` may read the response. */
  allows(origin: string): boolean {
    if (this.anyOrigin) return origin !== "null" || !this.credentials;
    return this.origins.has(origin) || (this.regex !== null && this.regex(origin));
  }

  /** The `Access-Control-Allow-Origin` value for an allowed origin. */
  private allowOrigin(origin: string): string {
    return this.anyOrigin && !this.credentials ? "*" : origin;
  }

  /**
   * Answers a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`): 204 with
   * the allowed method and headers, or 400 without any CORS header when the origin, method or a
   * header is not allowed — the browser then refuses the real request. A CORS-safelisted method
   * (GET, HEAD, POST) passes whatever `allowMethods` says, as the Fetch standard's own check lets
   * it through; methods compare case-sensitively, header names case-insensitively, as Fetch does.
   */
  preflight(request: PreflightRequest): PreflightAnswer {
    const headers: HeaderMap = {};
    appendVary(headers, "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers");
    const failures: string[] = [];
    if (!this.allows(request.origin)) failures.push("origin");
    const method = request.method;
    if (!TOKEN.test(method) || !(this.anyMethod || this.methods.has(method) || SAFELISTED_METHODS.has(method))) failures.push("method");
    const requested = (request.headers ?? "").split(",").map((h) => h.trim().toLowerCase()).filter((h) => h !== "");
    if (requested.some((h) => !TOKEN.test(h)) || (!this.anyHeader && requested.some((h) => !this.headers.has(h)))) failures.push("headers");
    if (failures.length > 0) return { status: 400, headers, body: `Disallowed CORS ${failures.join(", ")}` };
    headers["access-control-allow-origin"] = this.allowOrigin(request.origin);
    if (this.credentials) headers["access-control-allow-credentials"] = "true";
    // `*` is a wildcard only without credentials; echoing the request works in every case.
    headers["access-control-allow-methods"] = this.anyMethod ? (this.credentials ? method : "*") : this.methodList;
    if (!this.anyHeader) headers["access-control-allow-headers"] = this.headerList;
    else if (requested.length > 0) headers["access-control-allow-headers"] = requested.join(", ");
    headers["access-control-max-age"] = this.maxAge;
    if (request.privateNetwork && this.privateNetwork) headers["access-control-allow-private-network"] = "true";
    return { status: 204, headers, body: null };
  }

  /**
   * Adds the CORS headers of an actual (non-preflight) response. A disallowed or absent origin
   * gets none — but `Vary: Origin` whenever the answer depends on the origin, so a shared cache
   * does not hand one origin's response to another.
   */
  decorate(origin: string | undefined, headers: HeaderMap): void {
    if (this.variesByOrigin) appendVary(headers, "Origin");
    if (headers["access-control-allow-origin"] !== undefined) return;
    if (origin === undefined) {
      // A constant `*` is sent on every response, CORS or not (the Fetch standard's advice for caches).
      if (!this.anyOrigin || this.credentials) return;
    } else if (!this.allows(origin)) return;
    headers["access-control-allow-origin"] = origin === undefined ? "*" : this.allowOrigin(origin);
    if (this.credentials) headers["access-control-allow-credentials"] = "true";
    if (this.expose === null) return;
    headers["access-control-expose-headers"] = this.expose === "*" && this.credentials ? exposedNames(headers) : this.expose;
  }
}

const NOT_EXPOSED = new Set(["cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma", "set-cookie", "vary"]);

/** With credentials `*` is a literal name, so "expose everything" lists this response's headers. */
function exposedNames(headers: HeaderMap): string {
  return Object.keys(headers).filter((h) => !NOT_EXPOSED.has(h) && !h.startsWith("access-control-")).join(", ") || "*";
}
