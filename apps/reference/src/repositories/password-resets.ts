import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { isoNow } from "./rows.ts";

/** SHA-256 of a token, hex: what is stored and looked up. */
function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A reset token looks like 43 base64url characters (32 random bytes); anything else is refused unhashed. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Password-reset tokens: 32 random bytes, shown once (in the e-mail) and stored only as their
 * SHA-256 hash, so a leaked table resets nobody's password. A token works once and expires;
 * issuing a new one drops the user's older ones.
 *
 * @example
 * ```ts
 * const token = await resets.issue(user.id, 30 * 60);        // into the e-mail
 * const userId = await resets.consume(tokenFromTheUser);      // null: unknown, used or expired
 * ```
 */
export class PasswordResetRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The active user with this e-mail (stored lower-cased), for the reset mail. */
  async findActiveUserByEmail(email: string): Promise<{ id: number; username: string; email: string } | undefined> {
    return this.db
      .selectFrom("users")
      .select(["id", "username", "email"])
      .where("email", "=", email.toLowerCase())
      .where("is_active", "=", true as never)
      .executeTakeFirst();
  }

  /** Creates a token for `userId`, valid `ttlSeconds`; the user's earlier tokens stop working. */
  async issue(userId: number, ttlSeconds: number, now: Date = new Date()): Promise<string> {
    const token = randomBytes(32).toString("base64url");
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("password_reset_tokens").where("user_id", "=", userId).execute();
      await trx
        .insertInto("password_reset_tokens")
        .values({ token_hash: hashToken(token), user_id: userId, expires_at: isoNow(new Date(now.getTime() + ttlSeconds * 1000)), created_at: isoNow(now) })
        .execute();
    });
    return token;
  }

  /**
   * Uses up a token: answers its user's id once, or null when the token is unknown, used or
   * expired. One UPDATE decides, so two concurrent uses cannot both succeed.
   */
  async consume(token: string, now: Date = new Date()): Promise<number | null> {
    if (!TOKEN.test(token)) return null;
    const row = await this.db
      .updateTable("password_reset_tokens")
      .set({ used_at: isoNow(now) })
      .where("token_hash", "=", hashToken(token))
      .where("used_at", "is", null)
      .where("expires_at", ">", isoNow(now))
      .returning("user_id")
      .executeTakeFirst();
    return row?.user_id ?? null;
  }
}
