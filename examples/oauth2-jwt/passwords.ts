import { hash, parseOptions, verify, type Algorithm, type Options } from "@node-rs/argon2";

/** Argon2id with OWASP's minimum: 19 MiB of memory, 2 passes, 1 lane. */
export const ARGON2_OPTIONS: Options = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Longer passwords are refused before hashing, so nobody can make the server hash megabytes. */
export const MAX_PASSWORD_BYTES = 1024;

/** Hashes a password for storage (a PHC string: `$argon2id$v=19$m=19456,t=2,p=1$...`). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** True when `password` matches `hashed`; false (never an exception) for malformed hashes. */
export async function verifyPassword(password: string, hashed: string): Promise<boolean> {
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return false;
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with other parameters than today's: rehash it at the next login. */
export function needsRehash(hashed: string): boolean {
  const used = parseOptions(hashed);
  return (
    used.algorithm !== ARGON2_OPTIONS.algorithm ||
    used.memoryCost !== ARGON2_OPTIONS.memoryCost ||
    used.timeCost !== ARGON2_OPTIONS.timeCost ||
    used.parallelism !== ARGON2_OPTIONS.parallelism
  );
}

/**
 * Verified against when the user does not exist, so an unknown user name costs as much time as a
 * wrong password and login timing does not reveal which accounts exist.
 */
export const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$CFbFDSP/drG6ZntYYXlV/A$E1enI00qbHsEgnLCisojHWfH8u0nbz+WXPpOFna7DwI";
