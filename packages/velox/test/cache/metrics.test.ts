import { describe, expect, it } from "vitest";
import { cacheMetrics, createCache } from "../../src/cache/index.ts";
import { metrics } from "../../src/metrics/index.ts";

describe("cacheMetrics", () => {
  it("counts hits and misses in the metrics registry, and stops when detached", async () => {
    const observed = metrics({ defaultMetrics: false, path: false });
    const cache = await createCache({ name: "items" });
    const detach = cacheMetrics(observed, cache);
    await cache.getOrSet("a", () => 1);
    await cache.getOrSet("a", () => 1);
    await cache.getOrSet("a", () => 1);
    let text = await observed.scrape();
    expect(text).toContain('velox_cache_requests_total{cache="items",result="miss"} 1');
    expect(text).toContain('velox_cache_requests_total{cache="items",result="hit_memory"} 2');
    detach();
    await cache.getOrSet("a", () => 1);
    text = await observed.scrape();
    expect(text).toContain('velox_cache_requests_total{cache="items",result="hit_memory"} 2');
  });
});
