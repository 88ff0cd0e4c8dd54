import type { BreakerState } from "./breaker.ts";

/**
 * What happened in a cache, for metrics and logs. Built only when someone listens
 * (`cache.on(listener)`), so an unobserved cache pays nothing for it.
 *
 * - `hit` / `stale`: served from a tier (`stale`: past its TTL, within its grace).
 * - `miss`: no usable entry; the source is called (once per key, see single flight).
 * - `invalid`: a stored entry that failed decoding or its schema, treated as a miss.
 * - `redis-error`: a Redis command failed or timed out; the cache went on without it.
 * - `breaker`: the Redis circuit breaker changed state (`open`: Redis is bypassed).
 *
 * @example
 * ```ts
 * const off = cache.on((e) => { if (e.type === "breaker") log.warn({ state: e.state }, "cache redis breaker"); });
 * ```
 */
export type CacheEvent =
  | { type: "hit" | "stale"; cache: string; tier: "memory" | "redis" }
  | { type: "miss" | "invalid"; cache: string }
  | { type: "redis-error"; cache: string; error: Error }
  | { type: "breaker"; cache: string; state: BreakerState };

/** A subscriber to {@link CacheEvent}s. Exceptions it throws are ignored. */
export type CacheListener = (event: CacheEvent) => void;
