import type { IncomingMessage } from "node:http";
import type { Dependency } from "../di/dependency.ts";
import { VeloxError } from "../errors.ts";
import { notAuthenticated, parseAuthorization, quoteParam } from "./authorization.ts";
import { defineScheme, type SchemeOptions, type SchemeResult } from "./scheme.ts";

/**
 * The `Authorization` header of HTTPBearer and HTTPDigest, split at its first space.
 *
 * @example
 * ```ts
 * app.get("/me", { deps: { auth: HTTPBearer() } }, ({ auth }: { auth: HTTPAuthorizationCredentials }) => auth.credentials);
 * ```
 */
export interface HTTPAuthorizationCredentials {
  /** As the client sent it (`Bearer`, `bearer`...). */
  scheme: string;
  credentials: string;
}

/**
 * The user name and password of HTTP Basic authentication.
 *
 * @example
 * ```ts
 * app.get("/me", { deps: { creds: HTTPBasic() } }, ({ creds }: { creds: HTTPBasicCredentials }) => creds.username);
 * ```
 */
export interface HTTPBasicCredentials {
  username: string;
  password: string;
}

/** Options of {@link HTTPBearer}. */
export interface HTTPBearerOptions extends SchemeOptions {
  /** A hint for docs about the token's format, e.g. `"JWT"`. */
  bearerFormat?: string;
}

/** Options of {@link HTTPBasic}. */
export interface HTTPBasicOptions extends SchemeOptions {
  /** Sent as `WWW-Authenticate: Basic realm="<realm>"`; browsers show it in their login prompt. */
  realm?: string;
}

function schemeCredentials(expected: string) {
  return (req: IncomingMessage, missing: () => undefined): HTTPAuthorizationCredentials | undefined => {
    const { scheme, credentials } = parseAuthorization(req.headers.authorization);
    if (credentials === "" || scheme.toLowerCase() !== expected) return missing();
    return { scheme, credentials };
  };
}

/**
 * HTTP Bearer authentication: yields `{ scheme, credentials }` from `Authorization: Bearer <token>`.
 * A missing header, an empty token or another scheme answer 401 `Not authenticated` with
 * `WWW-Authenticate: Bearer` (FastAPI ≥ 0.122; earlier versions answered 403).
 *
 * @example
 * ```ts
 * const bearer = HTTPBearer({ bearerFormat: "JWT" });
 * app.get("/me", { deps: { auth: bearer } }, ({ auth }) => ({ token: auth.credentials }));
 * ```
 */
export function HTTPBearer<const O extends HTTPBearerOptions>(options: O = {} as O): Dependency<SchemeResult<O, HTTPAuthorizationCredentials>> {
  const scheme: Record<string, unknown> = { type: "http", scheme: "bearer" };
  if (options.bearerFormat !== undefined) scheme.bearerFormat = options.bearerFormat;
  return defineScheme({ kind: "HTTPBearer", options, scheme, challenge: "Bearer", extract: schemeCredentials("bearer") }) as Dependency<
    SchemeResult<O, HTTPAuthorizationCredentials>
  >;
}

/**
 * HTTP Digest, documented for OpenAPI and extracted from the header only, as in FastAPI: yields
 * `{ scheme, credentials }` for `Authorization: Digest ...`; verifying the digest is yours.
 *
 * @example
 * ```ts
 * const digest = HTTPDigest();
 * app.get("/files", { deps: { auth: digest } }, ({ auth }) => verifyDigest(auth.credentials));
 * ```
 */
export function HTTPDigest<const O extends SchemeOptions>(options: O = {} as O): Dependency<SchemeResult<O, HTTPAuthorizationCredentials>> {
  return defineScheme({
    kind: "HTTPDigest",
    options,
    scheme: { type: "http", scheme: "digest" },
    challenge: "Digest",
    extract: schemeCredentials("digest"),
  }) as Dependency<SchemeResult<O, HTTPAuthorizationCredentials>>;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeBasic(param: string): HTTPBasicCredentials | null {
  if (!BASE64.test(param)) return null;
  let text: string;
  try {
    text = utf8.decode(Buffer.from(param, "base64"));
  } catch {
    return null;
  }
  const colon = text.indexOf(":");
  if (colon === -1) return null;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * HTTP Basic authentication: yields `{ username, password }`. Without Basic credentials it answers
 * 401 `Not authenticated` with `WWW-Authenticate: Basic` (with `realm="..."` when given); Basic
 * credentials that do not decode answer the same even with `autoError: false`, as in FastAPI.
 * Compare what you receive with {@link safeCompare}.
 *
 * @example
 * ```ts
 * const basic = HTTPBasic({ realm: "admin" });
 * app.get("/users/me", { deps: { credentials: basic } }, ({ credentials }) => ({ username: credentials.username }));
 * ```
 */
export function HTTPBasic<const O extends HTTPBasicOptions>(options: O = {} as O): Dependency<SchemeResult<O, HTTPBasicCredentials>> {
  const { realm } = options;
  if (realm !== undefined && /[\x00-\x1f\x7f]/.test(realm)) {
    throw new VeloxError("VX_INVALID_OPTION", "HTTPBasic: realm may not contain control characters");
  }
  const challenge = realm ? `Basic realm=${quoteParam(realm)}` : "Basic";
  const invalid = options.notAuthenticatedError ?? notAuthenticated;
  return defineScheme({
    kind: "HTTPBasic",
    options,
    scheme: { type: "http", scheme: "basic" },
    challenge,
    extract: (req, missing) => {
      const header = req.headers.authorization;
      const { scheme, credentials } = parseAuthorization(header);
      if (!header || scheme.toLowerCase() !== "basic") return missing();
      const decoded = decodeBasic(credentials);
      if (decoded === null) throw invalid(challenge);
      return decoded;
    },
  }) as Dependency<SchemeResult<O, HTTPBasicCredentials>>;
}
