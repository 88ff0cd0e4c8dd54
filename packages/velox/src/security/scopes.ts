import type { SecurityScopes } from "../di/dependency.ts";
import { HTTPException } from "../http-exception.ts";
import { quoteParam } from "./authorization.ts";

/**
 * The `WWW-Authenticate` value for a bearer-token failure: `Bearer scope="a b"` listing the scopes
 * the route requires (RFC 6750 §3), or plain `Bearer` when it requires none.
 *
 * @example
 * ```ts
 * const currentUser = depends({ deps: { token: oauth2Scheme } }, ({ token, securityScopes }) => {
 *   const user = decode(token);
 *   if (!user) throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": bearerChallenge(securityScopes) });
 *   return user;
 * });
 * ```
 */
export function bearerChallenge(securityScopes?: SecurityScopes): string {
  if (!securityScopes || securityScopes.scopes.length === 0) return "Bearer";
  return `Bearer scope=${quoteParam(securityScopes.scopeStr)}`;
}

/**
 * Throws 401 (detail `Not enough permissions`, with {@link bearerChallenge}) unless every scope
 * the route requires is in `granted` — the check of FastAPI's OAuth2 scopes tutorial.
 *
 * @example
 * ```ts
 * const currentUser = depends({ deps: { token: oauth2Scheme } }, async ({ token, securityScopes }) => {
 *   const claims = await verify(token);
 *   requireScopes(securityScopes, claims.scopes);
 *   return claims.sub;
 * });
 * app.get("/items", { deps: { user: security(currentUser, ["items"]) } }, ({ user }) => itemsOf(user));
 * ```
 */
export function requireScopes(securityScopes: SecurityScopes, granted: Iterable<string>, detail: unknown = "Not enough permissions"): void {
  if (securityScopes.scopes.length === 0) return;
  const have = new Set(granted);
  for (const scope of securityScopes.scopes) {
    if (!have.has(scope)) throw new HTTPException(401, detail, { "www-authenticate": bearerChallenge(securityScopes) });
  }
}
