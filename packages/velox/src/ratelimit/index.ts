/**
 * `velox/ratelimit`: rate limits per route, router or app, keyed by client address (through
 * `trustProxy`), user, API key or any function; GCRA in memory or in Redis (at most one Lua script
 * call per request — one per event-loop turn over a pipelining connection of the store's own for
 * `redis://` URLs; `ioredis` is an optional peer, loaded only for `rediss://` URLs); IETF
 * `RateLimit` / `RateLimit-Policy` headers, `Retry-After` and 429 answers; an explicit fail-open or
 * fail-closed policy.
 *
 * @module
 */
export { rateLimit, type DecisionOutcome, type FailurePolicy, type RateLimiter, type RateLimitOptions, type RateLimitStatus } from "./limiter.ts";
export { byClientAddress, byHeader, boundedKey, type ClientAddressKeyOptions, type HeaderKeyOptions, type RateLimitKey } from "./keys.ts";
export { memoryStore, type MemoryScope, type MemoryStore, type MemoryStoreOptions } from "./memory-store.ts";
export { redisStore, type RedisScriptClient, type RedisStoreOptions } from "./redis-store.ts";
export type { RateLimitStore, ScopedStore } from "./store.ts";
export { gcra, gcraRule, type GcraDecision, type GcraRule } from "./gcra.ts";
export { GCRA_SCRIPT, GCRA_SHA } from "./gcra-script.ts";
export { limitResponses } from "./limit-responses.ts";
export { policyItem, rateLimitItem, retryAfter } from "./headers.ts";
export { rateLimitMetrics, DECISIONS } from "./metrics.ts";
