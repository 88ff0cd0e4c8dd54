import type { IncomingMessage } from "node:http";
import { depends, type Dependency, type SecuritySchemeInfo } from "../di/dependency.ts";
import { VeloxError } from "../errors.ts";
import { HTTPException } from "../http-exception.ts";
import { INVALID_CREDENTIALS, notAuthenticated } from "./authorization.ts";

/**
 * Options every security scheme accepts.
 *
 * @example
 * ```ts
 * const options: SchemeOptions = { schemeName: "PartnerKey", description: "Keys issued to partners", autoError: false };
 * const partnerKey = APIKeyHeader({ name: "X-Partner-Key", ...options });
 * ```
 */
export interface SchemeOptions {
  /** Key in OpenAPI `components/securitySchemes` (default: the scheme's name, e.g. `HTTPBearer`, as in FastAPI). */
  schemeName?: string;
  /** Description of the scheme in OpenAPI. */
  description?: string;
  /**
   * `true` (default): missing credentials answer 401 at once. `false`: the dependency yields
   * `undefined` instead, for optional authentication or several alternative schemes.
   */
  autoError?: boolean;
  /**
   * Builds the error raised for missing credentials (default: 401 `Not authenticated` with the
   * scheme's `WWW-Authenticate` challenge). Return `new HTTPException(403, "Not authenticated")`
   * to keep the answer of FastAPI before 0.122 while clients migrate.
   */
  notAuthenticatedError?: (challenge: string) => Error;
}

/**
 * What a scheme dependency yields: `T`, or `T | undefined` unless `autoError` is surely true.
 *
 * @example
 * ```ts
 * type A = SchemeResult<{ autoError: false }, string>; // string | undefined
 * type B = SchemeResult<{ tokenUrl: "token" }, string>; // string
 * ```
 */
export type SchemeResult<O, T> = O extends { autoError: false }
  ? T | undefined
  : O extends { autoError: true }
    ? T
    : O extends { autoError: boolean }
      ? T | undefined
      : T;

/**
 * The OpenAPI description of a scheme plus the challenge its 401 answers carry.
 *
 * @example
 * ```ts
 * const info: SchemeInfo | null = schemeInfo(HTTPBasic({ realm: "admin" }));
 * // { name: "HTTPBasic", scheme: { type: "http", scheme: "basic" }, challenge: 'Basic realm="admin"' }
 * ```
 */
export interface SchemeInfo extends SecuritySchemeInfo {
  /** The `WWW-Authenticate` value (`Bearer`, `Basic realm="api"`, `APIKey`...). */
  challenge: string;
}

interface SchemeDefinition<T> {
  /** FastAPI's class name: the default scheme name and the dependency's name in errors. */
  kind: string;
  options: SchemeOptions;
  /** The OpenAPI Security Scheme Object, without `description` (added from the options). */
  scheme: Record<string, unknown>;
  challenge: string;
  /** Reads the credentials; calls `missing()` (which throws, or returns undefined) when there are none. */
  extract: (req: IncomingMessage, missing: () => undefined) => T | undefined;
}

const SAFE_HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Builds a scheme's dependency: it reads the raw request (no declared params, so OpenAPI shows a
 * security requirement rather than a header or query parameter) and carries its description in
 * `DependsConfig.security`.
 */
export function defineScheme<T>(definition: SchemeDefinition<T>): Dependency<T | undefined> {
  const { kind, options, challenge, extract } = definition;
  if (!SAFE_HEADER_VALUE.test(challenge)) {
    throw new VeloxError("VX_INVALID_OPTION", `${kind}: the WWW-Authenticate challenge may not contain control characters`);
  }
  const name = options.schemeName ?? kind;
  const autoError = options.autoError ?? true;
  const makeError = options.notAuthenticatedError ?? notAuthenticated;
  const missing = (): undefined => {
    if (autoError) throw makeError(challenge);
    return undefined;
  };
  const scheme = options.description === undefined ? { ...definition.scheme } : { ...definition.scheme, description: options.description };
  const info: SchemeInfo = { name, scheme, challenge };
  const fn = (ctx: { req: IncomingMessage }) => extract(ctx.req, missing);
  Object.defineProperty(fn, "name", { value: name });
  return depends({ security: info }, fn) as Dependency<T | undefined>;
}

/**
 * The {@link SchemeInfo} of a scheme dependency (or of `security(scheme, ...)`), or null for
 * other dependencies — what the OpenAPI generator reads.
 *
 * @example
 * ```ts
 * schemeInfo(OAuth2PasswordBearer({ tokenUrl: "token" }))?.scheme;
 * // { type: "oauth2", flows: { password: { tokenUrl: "token", scopes: {} } } }
 * ```
 */
export function schemeInfo(dep: Dependency<any>): SchemeInfo | null {
  const info = (dep.base ?? dep).config.security as SchemeInfo | undefined;
  return info && typeof info.challenge === "string" ? info : null;
}

/**
 * A 401 carrying the scheme's `WWW-Authenticate` challenge, for credentials your code rejects
 * after the scheme extracted them (wrong password, unknown key, invalid token).
 *
 * @example
 * ```ts
 * const basic = HTTPBasic({ realm: "admin" });
 * const admin = depends({ deps: { credentials: basic } }, ({ credentials }) => {
 *   const userOk = safeCompare(credentials.username, "admin");
 *   const passwordOk = safeCompare(credentials.password, process.env.ADMIN_PASSWORD!);
 *   if (!(userOk && passwordOk)) throw unauthorized(basic, "Incorrect username or password"); // WWW-Authenticate: Basic realm="admin"
 *   return credentials.username;
 * });
 * ```
 */
export function unauthorized(scheme: Dependency<any>, detail: unknown = INVALID_CREDENTIALS): HTTPException {
  const info = schemeInfo(scheme);
  if (!info) throw new VeloxError("VX_INVALID_OPTION", `unauthorized(): ${scheme.name} is not a security scheme`);
  return new HTTPException(401, detail, { "www-authenticate": info.challenge });
}
