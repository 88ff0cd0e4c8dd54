import { gcra, type GcraDecision, type GcraRule } from "./gcra.ts";
import type { RateLimitStore } from "./store.ts";

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** Keys kept at most (default 100,000); past it, spent buckets go first, then the oldest. */
  maxKeys?: number;
  /** The clock, in milliseconds (tests pass their own). */
  now?: () => number;
}

/** A {@link RateLimitStore} in memory: synchronous, with its number of live keys. */
export interface MemoryStore extends RateLimitStore {
  readonly kind: "memory";
  readonly size: number;
  consume(key: string, rule: GcraRule, cost: number): GcraDecision;
}

/**
 * Limiter state in this process's memory: one number per key. The default store; with several
 * workers each has its own budget (use {@link redisStore} to share one).
 *
 * @example
 * ```ts
 * const limiter = rateLimit({ limit: 100, windowMs: 60_000, store: memoryStore({ maxKeys: 10_000 }) });
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxKeys = options.maxKeys ?? 100_000;
  const now = options.now ?? Date.now;
  const tats = new Map<string, number>();

  // Called only when the map is full, so the scan is amortised over maxKeys/10 insertions.
  const sweep = (at: number): void => {
    for (const [key, tat] of tats) if (tat <= at) tats.delete(key);
    const target = Math.floor(maxKeys * 0.9);
    if (tats.size <= target) return;
    for (const key of tats.keys()) {
      tats.delete(key);
      if (tats.size <= target) return;
    }
  };

  return {
    kind: "memory",
    get size() {
      return tats.size;
    },
    consume(key: string, rule: GcraRule, cost: number): GcraDecision {
      const at = now();
      const decision = gcra(tats.get(key) ?? 0, at, rule, cost);
      if (decision.allowed) {
        if (tats.size >= maxKeys && !tats.has(key)) sweep(at);
        tats.set(key, decision.tat);
      }
      return decision;
    },
  };
}
