import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { isoNow, toDate } from "./rows.ts";

/** A stored refresh token: its id (the JWT's `jti`), its rotation family and expiry. */
export interface RefreshTokenRecord {
  jti: string;
  familyId: string;
  userId: number;
  expiresAt: Date;
}

/**
 * The outcome of presenting a refresh token for rotation. `reused` means a token that was already
 * rotated came back: someone holds a stolen copy, so the whole family has been revoked.
 */
export type RotationResult =
  | { status: "rotated"; token: RefreshTokenRecord }
  | { status: "reused"; familyId: string }
  | { status: "revoked" }
  | { status: "expired" }
  | { status: "unknown" };

/**
 * Refresh-token families (OAuth 2.0 Security BCP §4.14): each login starts a family; each refresh
 * uses up the presented token and issues its successor in the same family; presenting a used
 * token again revokes every token of the family.
 *
 * @example
 * ```ts
 * const tokens = new RefreshTokenRepository(db);
 * const first = await tokens.issue(user.id, new Date(Date.now() + 7 * 864e5));
 * const next = await tokens.rotate(first.jti, user.id, new Date(Date.now() + 7 * 864e5));
 * ```
 */
export class RefreshTokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Records a new refresh token, in a new family unless `familyId` is given.
   *
   * @example
   * ```ts
   * const record = await tokens.issue(user.id, expiresAt); // sign record.jti into the JWT
   * ```
   */
  async issue(userId: number, expiresAt: Date, familyId: string = randomUUID(), db: Kysely<Database> = this.db): Promise<RefreshTokenRecord> {
    const jti = randomUUID();
    await db
      .insertInto("refresh_tokens")
      .values({ jti, family_id: familyId, user_id: userId, expires_at: isoNow(expiresAt), created_at: isoNow() })
      .execute();
    return { jti, familyId, userId, expiresAt };
  }

  /**
   * Uses up token `jti` of `userId` and issues its successor, in one transaction. A second use
   * of the same token, even a concurrent one, revokes the family and answers `reused`.
   *
   * @example
   * ```ts
   * const result = await tokens.rotate(claims.jti, claims.userId, newExpiry);
   * if (result.status !== "rotated") throw new HTTPException(401, "Invalid refresh token");
   * ```
   */
  async rotate(jti: string, userId: number, expiresAt: Date, now: Date = new Date()): Promise<RotationResult> {
    return this.db.transaction().execute(async (trx): Promise<RotationResult> => {
      const row = await trx
        .selectFrom("refresh_tokens")
        .select(["family_id", "user_id", "expires_at", "used_at", "revoked_at"])
        .where("jti", "=", jti)
        .executeTakeFirst();
      if (!row || row.user_id !== userId) return { status: "unknown" };
      if (row.revoked_at !== null) return { status: "revoked" };
      if (row.used_at !== null) return this.#revokeAfterReuse(trx, row.family_id, now);
      if (toDate(row.expires_at) <= now) return { status: "expired" };
      // The `used_at IS NULL` guard makes two concurrent rotations race on one row: the loser sees 0 rows.
      const claimed = await trx
        .updateTable("refresh_tokens")
        .set({ used_at: isoNow(now) })
        .where("jti", "=", jti)
        .where("used_at", "is", null)
        .executeTakeFirst();
      if (claimed.numUpdatedRows === 0n) return this.#revokeAfterReuse(trx, row.family_id, now);
      return { status: "rotated", token: await this.issue(userId, expiresAt, row.family_id, trx) };
    });
  }

  /**
   * Revokes every live token of a family (logout of one session).
   *
   * @example
   * ```ts
   * await tokens.revokeFamily(record.familyId);
   * ```
   */
  async revokeFamily(familyId: string, now: Date = new Date(), db: Kysely<Database> = this.db): Promise<number> {
    const result = await db
      .updateTable("refresh_tokens")
      .set({ revoked_at: isoNow(now) })
      .where("family_id", "=", familyId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Revokes every live token of a user (logout everywhere, password change).
   *
   * @example
   * ```ts
   * await tokens.revokeAllForUser(user.id);
   * ```
   */
  async revokeAllForUser(userId: number, now: Date = new Date()): Promise<number> {
    const result = await this.db
      .updateTable("refresh_tokens")
      .set({ revoked_at: isoNow(now) })
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Looks up a token's family by `jti`, e.g. to log out the session a token belongs to.
   *
   * @example
   * ```ts
   * const record = await tokens.find(claims.jti);
   * ```
   */
  async find(jti: string): Promise<(RefreshTokenRecord & { usedAt: Date | null; revokedAt: Date | null }) | undefined> {
    const row = await this.db.selectFrom("refresh_tokens").selectAll().where("jti", "=", jti).executeTakeFirst();
    if (!row) return undefined;
    return {
      jti: row.jti,
      familyId: row.family_id,
      userId: row.user_id,
      expiresAt: toDate(row.expires_at),
      usedAt: row.used_at === null ? null : toDate(row.used_at),
      revokedAt: row.revoked_at === null ? null : toDate(row.revoked_at),
    };
  }

  /**
   * Deletes tokens that expired before `before`; run it from a periodic job.
   *
   * @example
   * ```ts
   * await tokens.purgeExpired(new Date());
   * ```
   */
  async purgeExpired(before: Date = new Date()): Promise<number> {
    const result = await this.db.deleteFrom("refresh_tokens").where("expires_at", "<", isoNow(before)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async #revokeAfterReuse(trx: Kysely<Database>, familyId: string, now: Date): Promise<RotationResult> {
    await this.revokeFamily(familyId, now, trx);
    return { status: "reused", familyId };
  }
}
