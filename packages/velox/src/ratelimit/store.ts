import type { GcraDecision, GcraRule } from "./gcra.ts";

/**
 * Where limiters keep their state. `consume` takes one request's cost for `key` and answers the
 * decision; a memory store answers synchronously (no promise on the hot path).
 *
 * @example
 * ```ts
 * const store: RateLimitStore = memoryStore();
 * const decision = await store.consume("login:10.0.0.1", gcraRule(5, 60_000), 1);
 * ```
 */
export interface RateLimitStore {
  /** `memory` stores cannot fail; any other kind needs an explicit `failure` policy on the limiter. */
  readonly kind: "memory" | "redis" | (string & {});
  consume(key: string, rule: GcraRule, cost: number): GcraDecision | Promise<GcraDecision>;
  /**
   * The store as seen by one limiter, whose keys all start with `prefix`: `scoped(p).consume(k)`
   * keeps the limiter's keys apart as `consume(p + k)` would, without building that string per request. Optional
   * (the memory store has it); a limiter falls back to `consume` with the prefixed key.
   */
  scoped?(prefix: string): ScopedStore;
  /** Releases connections the store opened itself. */
  close?(): Promise<void>;
}

/** A store's view for one limiter's prefix (see {@link RateLimitStore.scoped}). */
export interface ScopedStore {
  consume(key: string, rule: GcraRule, cost: number): GcraDecision | Promise<GcraDecision>;
  /**
   * Optional, for stores with I/O: decides, then answers what `settle(context, decision)` returns
   * (or `fail(context, error)` when the store cannot decide), rejecting with what either throws —
   * one promise where `consume(...).then(...)` makes two. The limiter uses it when it is there.
   */
  consumeThen?<C, T>(key: string, rule: GcraRule, cost: number, context: C, settle: (context: C, decision: GcraDecision) => T, fail: (context: C, error: unknown) => T): Promise<T>;
}
