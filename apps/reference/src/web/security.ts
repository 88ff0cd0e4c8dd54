import { bearerChallenge, depends, HTTPException, OAuth2PasswordBearer, requireScopes } from "velox";
import { WebSocketBearer } from "velox/websocket";
import { SCOPES } from "../auth/scopes.ts";
import type { User } from "../repositories/rows.ts";
import { getServices } from "./services.ts";

/**
 * The OAuth2 password flow as the docs see it: Swagger UI's "Authorize" posts the password form
 * to `auth/token` (relative to the document, so it works under a proxy prefix) with the scopes
 * ticked in its dialog.
 *
 * @example
 * ```ts
 * const bearerToken = depends({ deps: { token: oauth2Scheme } }, ({ token }) => token);
 * ```
 */
export const oauth2Scheme = OAuth2PasswordBearer({
  tokenUrl: "auth/token",
  scopes: SCOPES,
  description: "Log in with your username and password; tick the scopes the token should carry.",
});

/**
 * The user an access token belongs to. Refuses (401, `WWW-Authenticate: Bearer`) a token that
 * does not verify — forged, tampered, `alg: none`, expired, a refresh token — or whose user is
 * gone, and (401 `Not enough permissions`) one lacking a scope the route requires. A scope the
 * user lost since the token was issued no longer counts.
 *
 * @example
 * ```ts
 * router.get("/users/me", { deps: { user: security(currentUser, ["read"]) } }, ({ user }) => userOut(user));
 * ```
 */
export const currentUser = depends(
  { deps: { token: oauth2Scheme, services: getServices } },
  async function currentUser({ token, services, securityScopes }): Promise<User> {
    const verified = await services.accessTokens.verify(token);
    const user = verified.ok ? await services.users.getById(verified.claims.userId) : undefined;
    if (!verified.ok || user === undefined) {
      throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": bearerChallenge(securityScopes) });
    }
    requireScopes(securityScopes, verified.claims.scopes.filter((scope) => user.scopes.includes(scope)));
    return user;
  },
);

/**
 * {@link currentUser}, refused with 400 `Inactive user` when the account is deactivated (FastAPI's
 * tutorial answer).
 *
 * @example
 * ```ts
 * router.post("/items", { deps: { user: security(activeUser, ["write"]) } }, ({ user }) => …);
 * ```
 */
export const activeUser = depends({ deps: { user: currentUser } }, function activeUser({ user }): User {
  if (!user.isActive) throw new HTTPException(400, "Inactive user");
  return user;
});

/**
 * An active superuser; anyone else gets 403. Routes add the `admin` scope with
 * `security(superuser, ["admin"])`, so an administrator's token without it is refused too.
 *
 * @example
 * ```ts
 * router.delete("/users/{user_id}", { deps: { admin: security(superuser, ["admin"]) } }, …);
 * ```
 */
export const superuser = depends({ deps: { user: activeUser } }, function superuser({ user }): User {
  if (!user.isSuperuser) throw new HTTPException(403, "The user doesn't have enough privileges");
  return user;
});

/**
 * The chat's token: browsers cannot set `Authorization` on a WebSocket, so the access token comes
 * in the `Sec-WebSocket-Protocol` bearer convention (`new WebSocket(url, ["bearer", token])`) or
 * the `token` query parameter.
 *
 * @example
 * ```ts
 * const user = depends({ deps: { token: websocketToken } }, ({ token }) => verify(token));
 * ```
 */
export const websocketToken = WebSocketBearer({ description: "The access token: `Sec-WebSocket-Protocol: bearer, <token>` or `?token=<token>`." });

/**
 * The active user of a chat connection, checked before the upgrade like {@link currentUser}: a
 * token that does not verify, a deleted or inactive user, or a missing scope answers 401 (400 for
 * inactive) over HTTP and the socket is never upgraded.
 *
 * @example
 * ```ts
 * router.ws("/ws/{room}", { deps: { user: security(chatUser, ["read"]) } }, handler);
 * ```
 */
export const chatUser = depends(
  { deps: { token: websocketToken, services: getServices } },
  async function chatUser({ token, services, securityScopes }): Promise<User> {
    const verified = await services.accessTokens.verify(token);
    const user = verified.ok ? await services.users.getById(verified.claims.userId) : undefined;
    if (!verified.ok || user === undefined) {
      throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": bearerChallenge(securityScopes) });
    }
    requireScopes(securityScopes, verified.claims.scopes.filter((scope) => user.scopes.includes(scope)));
    if (!user.isActive) throw new HTTPException(400, "Inactive user");
    return user;
  },
);
