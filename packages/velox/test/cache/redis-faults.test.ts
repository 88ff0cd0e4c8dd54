/**
 * velox/cache when Redis fails: a redis-server of the test's own, killed, paused (SIGSTOP — the
 * black hole: the socket stays open, nothing answers) and started again. Reads must keep
 * answering from the source, the breaker must open (readiness degraded, events for metrics) and
 * close again once Redis is back, without a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CacheTimeoutError, createCache, type Cache, type CacheEvent } from "../../src/cache/index.ts";
import { skipOwnRedis } from "../websocket/redis-helpers.ts";
import { CacheTestRedis } from "./own-redis.ts";

async function until(predicate: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const end = Date.now() + 8_000;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(skipOwnRedis)("velox/cache with Redis failing", () => {
  let redis: CacheTestRedis;
  let cache: Cache;
  const events: CacheEvent[] = [];
  let calls = 0;
  // Memory off, so every read goes to Redis: the fall-through is what is tested.
  const read = (i: number) => cache.getOrSet(`k:${i % 20}`, () => (calls++, `v${i % 20}`), { ttl: 60_000 });
  const readMany = async (n: number) => {
    const values = await Promise.all(Array.from({ length: n }, (_, i) => read(i)));
    expect(values).toEqual(Array.from({ length: n }, (_, i) => `v${i % 20}`));
  };

  beforeAll(async () => {
    redis = await CacheTestRedis.start();
    cache = await createCache({ memory: false, redis: { url: redis.url, prefix: "faults:", breaker: { threshold: 3, halfOpenAfterMs: 200 } } });
    cache.on((e) => events.push(e));
  });
  afterAll(async () => {
    await cache.close();
    await redis.dispose();
  });

  it("serves from Redis while it is up", async () => {
    await readMany(100);
    const before = calls;
    await readMany(100);
    expect(calls).toBe(before);
    expect(await cache.readinessCheck().check(new AbortController().signal)).toBe(true);
  });

  it("killed: reads fall through to the source, the breaker opens, readiness fails (non-critical)", async () => {
    await redis.stop();
    const before = calls;
    await readMany(200);
    expect(calls).toBeGreaterThan(before);
    expect(cache.redisState).toBe("open");
    const check = cache.readinessCheck();
    expect(check.critical).toBe(false);
    expect(await check.check(new AbortController().signal)).toBe(false);
    expect(events.some((e) => e.type === "breaker" && e.state === "open")).toBe(true);
  });

  it("back: the breaker closes and reads are served by Redis again, without a restart", async () => {
    await redis.start();
    await until(async () => {
      await readMany(20);
      return cache.redisState === "closed";
    }, "the breaker to close");
    await readMany(20); // refills what the outage lost
    const before = calls;
    await readMany(100);
    expect(calls).toBe(before);
    expect(events.some((e) => e.type === "breaker" && e.state === "closed")).toBe(true);
  });

  it("paused (black hole): commands time out, reads still answer, and recover after SIGCONT", async () => {
    events.length = 0;
    redis.pause();
    try {
      const before = calls;
      await readMany(100);
      expect(calls).toBeGreaterThan(before);
      const errors = events.flatMap((e) => (e.type === "redis-error" ? [e.error] : []));
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((e) => e instanceof CacheTimeoutError)).toBe(true);
      expect(cache.redisState).toBe("open");
    } finally {
      redis.resume();
    }
    await until(async () => {
      await readMany(20);
      return cache.redisState === "closed";
    }, "the breaker to close after the pause");
  });
});
