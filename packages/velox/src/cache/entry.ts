/**
 * A cached value with its times: served as fresh until `fresh`, then as stale (while it is
 * refreshed in the background, or when the source fails) until `stale`, then gone.
 *
 * @example
 * ```ts
 * const entry: CacheEntry<number> = { value: 42, fresh: Date.now() + 60_000, stale: Date.now() + 120_000, tags: ["answers"] };
 * ```
 */
export interface CacheEntry<T = unknown> {
  value: T;
  /** Epoch ms until which the value is fresh. */
  fresh: number;
  /** Epoch ms until which the value may still be served stale (`fresh` + grace). */
  stale: number;
  tags: readonly string[];
}

/**
 * Times for a new entry: the TTL stretched by a random share of up to `jitter` (0.1 = up to
 * +10 %), so keys written together do not all expire in the same millisecond.
 *
 * @example
 * ```ts
 * const { fresh, stale } = entryTimes(Date.now(), 60_000, 30_000, 0.1);
 * ```
 */
export function entryTimes(now: number, ttlMs: number, graceMs: number, jitter: number): { fresh: number; stale: number } {
  const fresh = now + Math.round(ttlMs * (1 + Math.random() * jitter));
  return { fresh, stale: fresh + graceMs };
}
