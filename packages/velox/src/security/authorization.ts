import { HTTPException } from "../http-exception.ts";

/**
 * The detail FastAPI sends when a security scheme finds no usable credentials.
 *
 * @example
 * ```ts
 * expect(res.json()).toEqual({ detail: NOT_AUTHENTICATED });
 * ```
 */
export const NOT_AUTHENTICATED = "Not authenticated";

/**
 * The default detail of `unauthorized(scheme)`: credentials were sent but are not accepted.
 *
 * @example
 * ```ts
 * throw new HTTPException(401, INVALID_CREDENTIALS, { "WWW-Authenticate": "Bearer" });
 * ```
 */
export const INVALID_CREDENTIALS = "Invalid authentication credentials";

/**
 * An `Authorization` header split into its scheme and the rest.
 *
 * @example
 * ```ts
 * const { scheme, credentials }: AuthorizationParts = parseAuthorization(req.headers.authorization);
 * ```
 */
export interface AuthorizationParts {
  /** As sent (`Bearer`, `bearer`, ...); empty when there is no header. */
  scheme: string;
  /** Everything after the scheme, trimmed; empty when absent. */
  credentials: string;
}

/**
 * Splits an `Authorization` header value at its first space, like FastAPI's
 * `get_authorization_scheme_param`.
 *
 * @example
 * ```ts
 * parseAuthorization("Bearer abc.def"); // { scheme: "Bearer", credentials: "abc.def" }
 * parseAuthorization(undefined);        // { scheme: "", credentials: "" }
 * ```
 */
export function parseAuthorization(header: string | undefined): AuthorizationParts {
  if (!header) return { scheme: "", credentials: "" };
  const value = header.trim();
  const space = value.indexOf(" ");
  if (space === -1) return { scheme: value, credentials: "" };
  return { scheme: value.slice(0, space), credentials: value.slice(space + 1).trim() };
}

/**
 * The 401 a scheme raises when credentials are missing: `{"detail": "Not authenticated"}` with
 * the scheme's `WWW-Authenticate` challenge, as FastAPI ≥ 0.122 answers.
 *
 * @example
 * ```ts
 * throw notAuthenticated("Bearer");
 * ```
 */
export function notAuthenticated(challenge: string): HTTPException {
  return new HTTPException(401, NOT_AUTHENTICATED, { "www-authenticate": challenge });
}

/** Quotes a value for an auth-param (`realm="..."`, `scope="..."`), escaping `\` and `"`. */
export function quoteParam(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
