import { TtlLru } from "../cache/ttl-lru.ts";
import type { TokenConfig } from "./token-config.ts";
import { verifyAccess, type AccessClaims, type Verified } from "./tokens.ts";

/** Options of {@link AccessTokenVerifier}. */
export interface AccessTokenVerifierOptions {
  /** Verified tokens remembered (default 10,000). */
  capacity?: number;
  /** The clock in milliseconds (tests pass their own). */
  now?: () => number;
}

/**
 * `verifyAccess` with a memory: a token that verified is remembered, by its exact text, until its
 * `exp`, so a client reusing its access token (the normal case) pays for the signature check once
 * rather than on every request. Only tokens jose accepted are stored, so forged or garbage tokens
 * can neither hit nor fill the cache; they are verified (and refused) every time.
 *
 * @example
 * ```ts
 * const accessTokens = new AccessTokenVerifier(services.tokens);
 * const verified = await accessTokens.verify(bearerToken);
 * if (!verified.ok) throw new HTTPException(401, "Could not validate credentials");
 * ```
 */
export class AccessTokenVerifier {
  readonly #cache: TtlLru<string, Readonly<AccessClaims>>;
  readonly #now: () => number;

  constructor(
    private readonly config: TokenConfig,
    options: AccessTokenVerifierOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#cache = new TtlLru({ capacity: options.capacity ?? 10_000, ttlMs: config.accessTtlSeconds * 1000, now: this.#now });
  }

  /**
   * Checks an access token like `verifyAccess`, from memory when it verified before and has not expired.
   *
   * @example
   * ```ts
   * const verified = await accessTokens.verify(token);
   * ```
   */
  async verify(token: string): Promise<Verified<AccessClaims>> {
    const known = this.#cache.get(token);
    if (known !== undefined) return { ok: true, claims: known };
    const verified = await verifyAccess(this.config, token);
    if (verified.ok) {
      const claims = Object.freeze({ ...verified.claims, scopes: Object.freeze([...verified.claims.scopes]) as string[] });
      // Remembered until the moment jose would call it expired.
      this.#cache.set(token, claims, claims.expiresAt.getTime() - this.#now());
      return { ok: true, claims };
    }
    return verified;
  }
}
