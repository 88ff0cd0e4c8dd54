import { describe, expect, it } from "vitest";
import { TtlLru } from "./ttl-lru.ts";

describe("TtlLru", () => {
  it("answers live entries and forgets expired ones", () => {
    let now = 1_000;
    const cache = new TtlLru<string, number>({ capacity: 10, ttlMs: 100, now: () => now });
    cache.set("a", 1);
    cache.set("b", 2, 500);
    cache.set("never", 3, 0);
    now += 99;
    expect(cache.get("a")).toBe(1);
    now += 1;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")).toBe(2);
    expect(cache.get("never")).toBeUndefined();
    now += 400;
    expect(cache.get("b")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("evicts the least recently used entry beyond its capacity", () => {
    const cache = new TtlLru<string, number>({ capacity: 2, ttlMs: 1_000 });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    cache.delete("a");
    expect(cache.get("a")).toBeUndefined();
    expect(() => new TtlLru({ capacity: 0, ttlMs: 1 })).toThrow(RangeError);
  });
});
