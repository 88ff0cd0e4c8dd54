import { createHash, timingSafeEqual } from "node:crypto";

function digest(value: string | Uint8Array): Buffer {
  return createHash("sha256").update(value).digest();
}

/**
 * Compares two secrets in constant time. Both sides are hashed to equal-length SHA-256 digests
 * first, so neither the content nor the length of the expected value leaks through timing.
 * Strings are compared as UTF-8.
 *
 * @example
 * ```ts
 * const okUser = safeCompare(credentials.username, "stanleyjobson");
 * const okPass = safeCompare(credentials.password, "swordfish");
 * if (!(okUser && okPass)) throw unauthorized(basic, "Incorrect username or password");
 * ```
 */
export function safeCompare(a: string | Uint8Array, b: string | Uint8Array): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
