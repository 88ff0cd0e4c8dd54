import type { MetricsPlugin } from "../metrics/metrics.ts";
import type { Cache } from "./cache.ts";

/**
 * Records a cache's events in `velox/metrics`' registry: `velox_cache_requests_total{cache,
 * result}` (`hit_memory`, `hit_redis`, `stale`, `miss`, `invalid`), `velox_cache_redis_errors_total`
 * and `velox_cache_redis_up` (0 while the breaker bypasses Redis). The cache itself never imports
 * prom-client: without this call it builds no event at all.
 *
 * @example
 * ```ts
 * const observed = metrics();
 * app.register(observed);
 * cacheMetrics(observed, cache);
 * ```
 */
export function cacheMetrics(observed: Pick<MetricsPlugin, "counter" | "gauge">, cache: Cache): () => void {
  const requests = observed.counter({ name: "velox_cache_requests_total", help: "Cache reads by result.", labelNames: ["cache", "result"] });
  const errors = observed.counter({ name: "velox_cache_redis_errors_total", help: "Redis commands of the cache that failed or timed out.", labelNames: ["cache"] });
  const up = observed.gauge({ name: "velox_cache_redis_up", help: "1 while the cache uses Redis, 0 while its breaker bypasses it.", labelNames: ["cache"] });
  if (cache.redisState !== null) up.set({ cache: cache.name }, cache.redisState === "open" ? 0 : 1);
  return cache.on((event) => {
    const labels = { cache: event.cache };
    if (event.type === "hit") requests.inc({ ...labels, result: `hit_${event.tier}` });
    else if (event.type === "stale" || event.type === "miss" || event.type === "invalid") requests.inc({ ...labels, result: event.type });
    else if (event.type === "redis-error") errors.inc(labels);
    else if (event.type === "breaker") up.set(labels, event.state === "open" ? 0 : 1);
  });
}
