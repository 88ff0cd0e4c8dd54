import { describe, expect, it } from "vitest";
import { z } from "zod";
import { cached } from "./cached.ts";
import { createCache } from "./create-cache.ts";
import type { CacheEvent } from "./events.ts";

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("memory cache", () => {
  it("1,000 concurrent misses of a key make one call of the source", async () => {
    const cache = await createCache();
    let calls = 0;
    const load = async () => {
      calls++;
      await later(10);
      return { n: 42 };
    };
    const values = await Promise.all(Array.from({ length: 1000 }, () => cache.getOrSet("hot", load)));
    expect(calls).toBe(1);
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toEqual({ n: 42 });
    await cache.getOrSet("hot", load);
    expect(calls).toBe(1);
  });

  it("a failing source reaches every waiter and is not cached", async () => {
    const cache = await createCache();
    let calls = 0;
    const boom = async () => {
      calls++;
      await later(5);
      throw new Error("db down");
    };
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => cache.getOrSet("k", boom)));
    expect(results.every((r) => r.status === "rejected" && (r.reason as Error).message === "db down")).toBe(true);
    expect(calls).toBe(1);
    expect(await cache.getOrSet("k", () => "ok")).toBe("ok");
  });

  it("expires after the TTL (with jitter ≤ 10 %)", async () => {
    const cache = await createCache({ ttl: 30 });
    let n = 0;
    expect(await cache.getOrSet("k", () => ++n)).toBe(1);
    expect(await cache.getOrSet("k", () => ++n)).toBe(1);
    await later(40);
    expect(await cache.getOrSet("k", () => ++n)).toBe(2);
  });

  it("serves stale within grace while one background refresh runs, and on source failure", async () => {
    const cache = await createCache({ ttl: 20, grace: 10_000, jitter: 0 });
    let n = 0;
    let fail = false;
    const load = async () => {
      if (fail) throw new Error("down");
      await later(20);
      return ++n;
    };
    expect(await cache.getOrSet("k", load)).toBe(1);
    await later(25);
    const stale = await Promise.all(Array.from({ length: 100 }, () => cache.getOrSet("k", load)));
    expect(stale.every((v) => v === 1)).toBe(true);
    await later(40);
    expect(n).toBe(2); // exactly one refresh for the 100 stale reads
    expect(await cache.get("k")).toBe(2);
    fail = true;
    await later(25);
    expect(await cache.getOrSet("k", load)).toBe(2); // source fails: the stale value answers
  });

  it("does not cache null unless negativeTtl is set; never caches undefined", async () => {
    const plain = await createCache();
    let calls = 0;
    const missing = () => {
      calls++;
      return null;
    };
    await plain.getOrSet("nope", missing);
    await plain.getOrSet("nope", missing);
    expect(calls).toBe(2);
    const negative = await createCache({ negativeTtl: 1_000 });
    calls = 0;
    await negative.getOrSet("nope", missing);
    await negative.getOrSet("nope", missing);
    expect(calls).toBe(1);
    let u = 0;
    await negative.getOrSet("u", () => void u++);
    await negative.getOrSet("u", () => void u++);
    expect(u).toBe(2);
  });

  it("invalidates by key, by tag and by prefix among thousands of keys", async () => {
    const cache = await createCache({ memory: { max: 20_000 } });
    for (let i = 0; i < 5000; i++) await cache.set(`item:${i}`, i, { tags: [i % 2 === 0 ? "even" : "odd", "items"] });
    for (let i = 0; i < 3000; i++) await cache.set(`user:${i}`, i, { tags: ["users"] });
    await cache.invalidateTags(["even"]);
    expect(await cache.get("item:2")).toBeUndefined();
    expect(await cache.get("item:3")).toBe(3);
    await cache.delete("item:3");
    expect(await cache.get("item:3")).toBeUndefined();
    expect(await cache.get("item:5")).toBe(5);
    await cache.deletePrefix("user:");
    expect(await cache.get("user:0")).toBeUndefined();
    expect(await cache.get("user:2999")).toBeUndefined();
    expect(await cache.get("item:4999")).toBe(4999);
    await cache.invalidateTags(["items"]);
    expect(await cache.get("item:4999")).toBeUndefined();
  });

  it("a load that an invalidation overtook is returned but not stored", async () => {
    const cache = await createCache();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pending = cache.getOrSet("k", async () => {
      await gate;
      return "old";
    }, { tags: ["t"] });
    await cache.invalidateTags(["t"]);
    release();
    expect(await pending).toBe("old");
    expect(await cache.getOrSet("k", () => "new")).toBe("new");
  });

  it("an invalidation of other keys and tags does not stop a load from being stored", async () => {
    const cache = await createCache();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pending = cache.getOrSet("k", async () => {
      await gate;
      return "kept";
    }, { tags: ["t"] });
    await cache.invalidateTags(["other"]);
    await cache.delete("k2");
    await cache.deletePrefix("j");
    release();
    await pending;
    expect(await cache.getOrSet("k", () => "reloaded")).toBe("kept");
  });

  it("reports hits and misses to listeners, and nothing breaks when a listener throws", async () => {
    const cache = await createCache();
    const events: CacheEvent["type"][] = [];
    cache.on(() => {
      throw new Error("listener bug");
    });
    const off = cache.on((e) => events.push(e.type));
    await cache.getOrSet("k", () => 1);
    await cache.getOrSet("k", () => 1);
    off();
    await cache.getOrSet("k", () => 1);
    expect(events).toEqual(["miss", "hit"]);
  });

  it("checks its options", async () => {
    await expect(createCache({ ttl: -1 })).rejects.toMatchObject({ code: "VX_INVALID_OPTION" });
    await expect(createCache({ memory: false })).rejects.toMatchObject({ code: "VX_INVALID_OPTION" });
    await expect(createCache({ jitter: Number.NaN })).rejects.toMatchObject({ code: "VX_INVALID_OPTION" });
  });
});

describe("cached()", () => {
  it("keys calls by their arguments and tags them", async () => {
    const cache = await createCache();
    const calls: number[] = [];
    const square = cached(
      async function square(n: number) {
        calls.push(n);
        return n * n;
      },
      { cache, ttl: 1_000, tags: (n) => [`n:${n}`], schema: z.number() },
    );
    expect(await Promise.all([square(3), square(3), square(4)])).toEqual([9, 9, 16]);
    expect(calls).toEqual([3, 4]);
    await cache.invalidateTags(["n:3"]);
    await square(3);
    await square(4);
    expect(calls).toEqual([3, 4, 3]);
  });

  it("needs a key for an anonymous function", async () => {
    const cache = await createCache();
    expect(() => cached(() => 1, { cache })).toThrow(/key/);
    const one = cached(() => 1, { cache, key: () => "one" });
    expect(await one()).toBe(1);
  });
});
