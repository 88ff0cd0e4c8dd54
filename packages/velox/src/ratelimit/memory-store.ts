import { gcra, type GcraDecision, type GcraRule } from "./gcra.ts";
import type { RateLimitStore, ScopedStore } from "./store.ts";

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** Keys kept at most (default 100,000), over every limiter sharing the store; past it, spent buckets go first, then the oldest. */
  maxKeys?: number;
  /** The clock, in milliseconds (tests pass their own). */
  now?: () => number;
}

/** A {@link RateLimitStore} in memory: synchronous, with its number of live keys. */
export interface MemoryStore extends RateLimitStore {
  readonly kind: "memory";
  readonly size: number;
  consume(key: string, rule: GcraRule, cost: number): GcraDecision;
  scoped(prefix: string): MemoryScope;
}

/** One limiter's table in a {@link MemoryStore}: synchronous too. */
export interface MemoryScope extends ScopedStore {
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
  // One map per limiter (prefix): a request looks its key up as it is, with no prefixed string built.
  const scopes: Map<string, number>[] = [];
  let size = 0;

  // Called only when the store is full, so the scan is amortised over maxKeys/10 insertions.
  const sweep = (atUs: number): void => {
    for (const tats of scopes) {
      for (const [key, tat] of tats) if (tat <= atUs) tats.delete(key);
    }
    size = scopes.reduce((n, tats) => n + tats.size, 0);
    const target = Math.floor(maxKeys * 0.9);
    for (const tats of scopes) {
      for (const key of tats.keys()) {
        if (size <= target) return;
        tats.delete(key);
        size--;
      }
    }
  };

  const scope = (tats: Map<string, number>): MemoryScope => ({
    consume(key: string, rule: GcraRule, cost: number): GcraDecision {
      const at = now();
      const stored = tats.get(key);
      const decision = gcra(stored ?? 0, at, rule, cost);
      if (decision.allowed) {
        if (stored === undefined) {
          if (size >= maxKeys) sweep(at * 1000); // stored times are microseconds
          size++;
        }
        tats.set(key, decision.tat);
      }
      return decision;
    },
  });

  const byPrefix = new Map<string, MemoryScope>();
  const scoped = (prefix: string): MemoryScope => {
    let found = byPrefix.get(prefix);
    if (found === undefined) {
      const tats = new Map<string, number>();
      scopes.push(tats);
      byPrefix.set(prefix, (found = scope(tats)));
    }
    return found;
  };
  const root = scoped("");

  return {
    kind: "memory",
    get size() {
      return size;
    },
    consume: root.consume,
    scoped,
  };
}
