import type { User } from "../repositories/rows.ts";
import type { UsersRepository } from "../repositories/users.ts";
import type { PasswordHasher } from "./passwords.ts";

/** Why a login failed. `inactive` is only said after the password was right. */
export type LoginFailure = "invalid_credentials" | "inactive";

/** The outcome of a username/password check. */
export type LoginOutcome = { ok: true; user: User } | { ok: false; reason: LoginFailure };

/**
 * Checks a username and password in constant shape: an unknown user costs one Argon2id
 * verification against the dummy hash, like a wrong password, and both answer
 * `invalid_credentials`. On success, an outdated hash is replaced with one using the current
 * parameters.
 *
 * @example
 * ```ts
 * const outcome = await authenticate(users, passwords, form.username, form.password);
 * if (!outcome.ok) throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": "Bearer" });
 * ```
 */
export async function authenticate(users: UsersRepository, passwords: PasswordHasher, username: string, password: string): Promise<LoginOutcome> {
  const found = await users.getCredentials(username);
  const check = await passwords.check(found?.hashedPassword, password);
  if (!found || !check.ok) return { ok: false, reason: "invalid_credentials" };
  if (check.rehash !== undefined) await users.updatePasswordHash(found.user.id, check.rehash);
  if (!found.user.isActive) return { ok: false, reason: "inactive" };
  return { ok: true, user: found.user };
}
