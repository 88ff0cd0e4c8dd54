/**
 * `velox/cache`: a typed cache on memory (`lru-cache`) and/or Redis (`ioredis`), both optional
 * peers: single flight, stale-while-revalidate, tags, SCAN-based prefix deletion, Redis timeouts
 * and a circuit breaker, HTTP caching hooks (ETag, 304, Cache-Control) and metrics.
 *
 * @module
 */
export { Cache, type CacheCallOptions, type CacheSettings } from "./cache.ts";
export { createCache, type CacheOptions, type RedisCacheOptions } from "./create-cache.ts";
export { cached, type CachedOptions } from "./cached.ts";
export { cacheDependency } from "./dependency.ts";
export { cacheControl, etagOf, httpCaching, type CacheControlOptions, type HttpCachingOptions } from "./http.ts";
export { cacheMetrics } from "./metrics.ts";
export { Breaker, type BreakerOptions, type BreakerState } from "./breaker.ts";
export { CacheTimeoutError } from "./timeout.ts";
export type { CacheEvent, CacheListener } from "./events.ts";
export type { CacheEntry } from "./entry.ts";
