import { randomBytes } from "node:crypto";
import { hash, parseOptions, verify, type Algorithm } from "@node-rs/argon2";

// @node-rs/argon2 exports Algorithm as a const enum, which isolatedModules cannot inline.
const ARGON2ID = 2 as Algorithm;

/** Argon2id cost parameters and the password length limit. */
export interface PasswordPolicy {
  /** Memory in KiB; OWASP's minimum for Argon2id with t=2 is 19456 (19 MiB). */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
  /** Longest password accepted, in characters; checked before any hashing. */
  maxPasswordLength: number;
  /** Longest password accepted, in UTF-8 bytes. */
  maxPasswordBytes?: number;
}

/** OWASP's Argon2id recommendation (m=19 MiB, t=2, p=1) with a 128-character cap. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  maxPasswordLength: 128,
  maxPasswordBytes: 1024,
};

/** A password longer than the policy allows; thrown before any work is spent on it. */
export class PasswordTooLongError extends Error {
  override readonly name = "PasswordTooLongError";
  constructor(readonly maxLength: number) {
    super(`password must be at most ${maxLength} characters`);
  }
}

/** The outcome of a login check. `rehash` is set when the stored hash used outdated parameters. */
export type PasswordCheck = { ok: true; rehash: string | undefined } | { ok: false };

/**
 * Argon2id hashing with a length cap, rehash detection and a dummy hash, so a login for an
 * unknown user costs the same as one with a wrong password.
 *
 * @example
 * ```ts
 * const passwords = new PasswordHasher({ ...DEFAULT_PASSWORD_POLICY });
 * const stored = await passwords.hash("correct horse battery staple");
 * await passwords.verify(stored, "correct horse battery staple"); // true
 * ```
 */
export class PasswordHasher {
  readonly #policy: PasswordPolicy;
  #dummy: Promise<string> | undefined;

  constructor(policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY) {
    this.#policy = { ...policy, maxPasswordBytes: policy.maxPasswordBytes ?? 1024 };
  }

  /**
   * Whether a password fits the length policy (characters and UTF-8 bytes).
   *
   * @example
   * ```ts
   * passwords.acceptsLength("x".repeat(129)); // false with the default policy
   * ```
   */
  acceptsLength(password: string): boolean {
    if (password.length > this.#policy.maxPasswordLength) return false;
    return Buffer.byteLength(password, "utf8") <= (this.#policy.maxPasswordBytes ?? Infinity);
  }

  /**
   * Hashes a password with Argon2id. Throws `PasswordTooLongError` before hashing an oversize one.
   *
   * @example
   * ```ts
   * const hashedPassword = await passwords.hash(form.password);
   * ```
   */
  async hash(password: string): Promise<string> {
    if (!this.acceptsLength(password)) throw new PasswordTooLongError(this.#policy.maxPasswordLength);
    return hash(password, this.#options());
  }

  /**
   * Checks a password against a stored hash. An oversize password is refused without hashing; a
   * malformed hash counts as a mismatch.
   *
   * @example
   * ```ts
   * if (!(await passwords.verify(user.hashedPassword, form.password))) throw unauthorized();
   * ```
   */
  async verify(hashed: string, password: string): Promise<boolean> {
    if (!this.acceptsLength(password)) return false;
    try {
      return await verify(hashed, password);
    } catch {
      return false;
    }
  }

  /**
   * The login check: verifies against the user's hash, or against a dummy hash with the current
   * parameters when the user is unknown, so both failures take the same time. On success, returns
   * a fresh hash to store when the old one's parameters are outdated.
   *
   * @example
   * ```ts
   * const found = await users.getCredentials(form.username);
   * const check = await passwords.check(found?.hashedPassword, form.password);
   * if (!found || !check.ok) throw unauthorized();
   * if (check.rehash) await users.updatePasswordHash(found.user.id, check.rehash);
   * ```
   */
  async check(hashed: string | undefined, password: string): Promise<PasswordCheck> {
    if (hashed === undefined) {
      await this.verify(await this.dummyHash(), password);
      return { ok: false };
    }
    if (!(await this.verify(hashed, password))) return { ok: false };
    return { ok: true, rehash: this.needsRehash(hashed) ? await this.hash(password) : undefined };
  }

  /**
   * Whether a stored hash was made with other parameters (or another algorithm) than the policy's.
   *
   * @example
   * ```ts
   * passwords.needsRehash("$argon2id$v=19$m=4096,t=3,p=1$…"); // true under the default policy
   * ```
   */
  needsRehash(hashed: string): boolean {
    try {
      const used = parseOptions(hashed);
      return (
        used.algorithm !== ARGON2ID ||
        used.memoryCost !== this.#policy.memoryCost ||
        used.timeCost !== this.#policy.timeCost ||
        used.parallelism !== this.#policy.parallelism
      );
    } catch {
      return true;
    }
  }

  /**
   * The dummy hash unknown-user logins verify against, made once with the current parameters.
   * Call it at startup so the first unknown-user login is not slower than the rest.
   *
   * @example
   * ```ts
   * await passwords.dummyHash(); // warm up during app startup
   * ```
   */
  dummyHash(): Promise<string> {
    this.#dummy ??= hash(randomBytes(32).toString("base64url"), this.#options());
    return this.#dummy;
  }

  #options() {
    return {
      algorithm: ARGON2ID,
      memoryCost: this.#policy.memoryCost,
      timeCost: this.#policy.timeCost,
      parallelism: this.#policy.parallelism,
    };
  }
}
