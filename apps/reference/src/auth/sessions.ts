import type { RefreshTokenRepository } from "../repositories/refresh-tokens.ts";
import type { User } from "../repositories/rows.ts";
import { grantScopes } from "./scopes.ts";
import type { TokenConfig } from "./token-config.ts";
import { issueTokens, refreshExpiry, verifyRefresh, type TokenFailure, type TokenPair } from "./tokens.ts";

/** Why a refresh was refused. `reused` means the family was just revoked. */
export type RefreshFailure = TokenFailure | "reused" | "revoked" | "unknown" | "inactive";

/** The outcome of a refresh: a new pair, or the reason it was refused. */
export type RefreshOutcome = { ok: true; tokens: TokenPair; user: User } | { ok: false; reason: RefreshFailure };

/** Reads a user by id; `UsersRepository#getById` fits. */
export type LoadUser = (id: number) => Promise<User | undefined>;

/**
 * Login sessions as token families: `start` after a successful password check, `refresh` to
 * rotate, `end` to log out. Ties the JWT layer to the refresh-token repository.
 *
 * @example
 * ```ts
 * const sessions = new Sessions(config, new RefreshTokenRepository(db), (id) => users.getById(id));
 * const tokens = await sessions.start(user, requestedScopes);
 * const next = await sessions.refresh(tokens.refresh_token);
 * ```
 */
export class Sessions {
  constructor(
    private readonly config: TokenConfig,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly loadUser: LoadUser,
  ) {}

  /**
   * Starts a new family for a user who just proved their password, with the requested scopes the
   * user holds.
   *
   * @example
   * ```ts
   * return sessions.start(user, form.scopes);
   * ```
   */
  async start(user: Pick<User, "id" | "scopes">, requestedScopes: readonly string[] = []): Promise<TokenPair> {
    const scopes = grantScopes(requestedScopes, user.scopes);
    const record = await this.refreshTokens.issue(user.id, refreshExpiry(this.config));
    return issueTokens(this.config, { userId: user.id, scopes, refresh: record });
  }

  /**
   * Exchanges a refresh token for a new pair, using it up. Presenting a used token again revokes
   * its family (`reused`); a deleted or deactivated user ends the family too. Scopes never grow:
   * the new pair has the old token's scopes that the user still holds.
   *
   * @example
   * ```ts
   * const outcome = await sessions.refresh(body.refresh_token);
   * if (!outcome.ok) throw new HTTPException(401, "Invalid refresh token");
   * return outcome.tokens;
   * ```
   */
  async refresh(refreshToken: string, now: Date = new Date()): Promise<RefreshOutcome> {
    const verified = await verifyRefresh(this.config, refreshToken);
    if (!verified.ok) return { ok: false, reason: verified.error.reason };
    const { claims } = verified;
    const rotated = await this.refreshTokens.rotate(claims.jti, claims.userId, refreshExpiry(this.config, now), now);
    if (rotated.status !== "rotated") return { ok: false, reason: rotated.status };
    const user = await this.loadUser(claims.userId);
    if (!user?.isActive) {
      await this.refreshTokens.revokeFamily(rotated.token.familyId, now);
      return { ok: false, reason: "inactive" };
    }
    const scopes = claims.scopes.filter((scope) => user.scopes.includes(scope));
    const tokens = await issueTokens(this.config, { userId: user.id, scopes, refresh: rotated.token }, now);
    return { ok: true, tokens, user };
  }

  /**
   * Logs out the session a refresh token belongs to by revoking its family. Returns false for a
   * token that does not verify.
   *
   * @example
   * ```ts
   * await sessions.end(body.refresh_token);
   * ```
   */
  async end(refreshToken: string): Promise<boolean> {
    const verified = await verifyRefresh(this.config, refreshToken);
    if (!verified.ok) return false;
    const record = await this.refreshTokens.find(verified.claims.jti);
    if (!record || record.userId !== verified.claims.userId) return false;
    await this.refreshTokens.revokeFamily(record.familyId);
    return true;
  }
}
