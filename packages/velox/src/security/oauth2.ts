import type { Dependency } from "../di/dependency.ts";
import { parseAuthorization } from "./authorization.ts";
import { defineScheme, type SchemeOptions, type SchemeResult } from "./scheme.ts";

/**
 * OAuth2 scopes a scheme documents: scope name → description.
 *
 * @example
 * ```ts
 * const scopes: OAuth2Scopes = { me: "Read your profile", items: "Read items" };
 * const oauth2 = OAuth2PasswordBearer({ tokenUrl: "token", scopes });
 * ```
 */
export type OAuth2Scopes = Readonly<Record<string, string>>;

/** Options of {@link OAuth2PasswordBearer}. */
export interface OAuth2PasswordBearerOptions extends SchemeOptions {
  /** Where clients send the password form to get a token (relative to the app, e.g. `"token"` or `"/token"`). */
  tokenUrl: string;
  /** Where clients refresh tokens, if anywhere. */
  refreshUrl?: string;
  /** The scopes the API knows, documented for the interactive docs' login dialog. */
  scopes?: OAuth2Scopes;
}

/** Options of {@link OAuth2AuthorizationCodeBearer}. */
export interface OAuth2AuthorizationCodeBearerOptions extends SchemeOptions {
  authorizationUrl: string;
  tokenUrl: string;
  refreshUrl?: string;
  scopes?: OAuth2Scopes;
}

/** Options of {@link OAuth2}: the OpenAPI OAuth Flows Object written by hand. */
export interface OAuth2Options extends SchemeOptions {
  flows: Readonly<Record<string, unknown>>;
}

function withRefresh(flow: Record<string, unknown>, refreshUrl: string | undefined): Record<string, unknown> {
  return refreshUrl === undefined ? flow : { ...flow, refreshUrl };
}

function bearerToken(req: { headers: { authorization?: string } }, missing: () => undefined): string | undefined {
  const { scheme, credentials } = parseAuthorization(req.headers.authorization);
  if (scheme.toLowerCase() !== "bearer" || credentials === "") return missing();
  return credentials;
}

/**
 * OAuth2 with the password flow: yields the bearer token of `Authorization: Bearer <token>`.
 * Missing or non-bearer credentials answer 401 `Not authenticated` with `WWW-Authenticate: Bearer`
 * (or yield `undefined` with `autoError: false`). Decoding and checking the token is yours.
 *
 * @example
 * ```ts
 * const oauth2Scheme = OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Read your profile" } });
 * const currentUser = depends({ deps: { token: oauth2Scheme } }, async ({ token }) => {
 *   const user = await userFromToken(token);
 *   if (!user) throw unauthorized(oauth2Scheme, "Could not validate credentials");
 *   return user;
 * });
 * ```
 */
export function OAuth2PasswordBearer<const O extends OAuth2PasswordBearerOptions>(options: O): Dependency<SchemeResult<O, string>> {
  const flow = withRefresh({ tokenUrl: options.tokenUrl, scopes: { ...(options.scopes ?? {}) } }, options.refreshUrl);
  return defineScheme({
    kind: "OAuth2PasswordBearer",
    options,
    scheme: { type: "oauth2", flows: { password: flow } },
    challenge: "Bearer",
    extract: bearerToken,
  }) as Dependency<SchemeResult<O, string>>;
}

/**
 * OAuth2 with the authorization code flow: yields the bearer token of the `Authorization` header,
 * answering like {@link OAuth2PasswordBearer} when it is missing.
 *
 * @example
 * ```ts
 * const oauth2 = OAuth2AuthorizationCodeBearer({
 *   authorizationUrl: "https://auth.example.com/authorize",
 *   tokenUrl: "https://auth.example.com/token",
 *   scopes: { "items:read": "Read items" },
 * });
 * app.get("/items", { deps: { token: security(oauth2, ["items:read"]) } }, ({ token }) => listItemsFor(token));
 * ```
 */
export function OAuth2AuthorizationCodeBearer<const O extends OAuth2AuthorizationCodeBearerOptions>(options: O): Dependency<SchemeResult<O, string>> {
  const flow = withRefresh(
    { authorizationUrl: options.authorizationUrl, tokenUrl: options.tokenUrl, scopes: { ...(options.scopes ?? {}) } },
    options.refreshUrl,
  );
  return defineScheme({
    kind: "OAuth2AuthorizationCodeBearer",
    options,
    scheme: { type: "oauth2", flows: { authorizationCode: flow } },
    challenge: "Bearer",
    extract: bearerToken,
  }) as Dependency<SchemeResult<O, string>>;
}

/**
 * A general OAuth2 scheme with flows written by hand (FastAPI's `OAuth2`): yields the whole
 * `Authorization` header value, or answers 401 with `WWW-Authenticate: Bearer` when there is none.
 *
 * @example
 * ```ts
 * const oauth2 = OAuth2({ flows: { clientCredentials: { tokenUrl: "/token", scopes: {} } } });
 * app.get("/jobs", { deps: { authorization: oauth2 } }, ({ authorization }) => jobsFor(authorization));
 * ```
 */
export function OAuth2<const O extends OAuth2Options>(options: O): Dependency<SchemeResult<O, string>> {
  return defineScheme({
    kind: "OAuth2",
    options,
    scheme: { type: "oauth2", flows: structuredClone(options.flows) },
    challenge: "Bearer",
    extract: (req, missing) => req.headers.authorization || missing(),
  }) as Dependency<SchemeResult<O, string>>;
}
