import { describe, expect, it } from "vitest";
import { gcraRule } from "./gcra.ts";
import { memoryStore } from "./memory-store.ts";

describe("memoryStore", () => {
  it("answers synchronously and counts per key", () => {
    let now = 0;
    const store = memoryStore({ now: () => now });
    const rule = gcraRule(2, 1_000);
    expect([store.consume("a", rule, 1), store.consume("a", rule, 1), store.consume("a", rule, 1)].map((d) => d.allowed)).toEqual([true, true, false]);
    expect(store.consume("b", rule, 1).allowed).toBe(true);
    now = 500;
    expect(store.consume("a", rule, 1).allowed).toBe(true);
  });

  it("stays bounded under a flood of distinct keys, dropping spent buckets first", () => {
    let now = 0;
    const store = memoryStore({ maxKeys: 1_000, now: () => now });
    const rule = gcraRule(5, 1_000);
    store.consume("victim", rule, 1);
    for (let i = 0; i < 5_000; i++) {
      now = i / 10;
      store.consume(`flood-${i}`, rule, 1);
      expect(store.size).toBeLessThanOrEqual(1_000);
    }
    expect(store.size).toBeGreaterThan(800);
  });

  it("keeps each limiter's keys apart (scoped) under one shared maxKeys", () => {
    const store = memoryStore({ maxKeys: 100, now: () => 0 });
    const rule = gcraRule(1, 1_000);
    const a = store.scoped("a:");
    const b = store.scoped("b:");
    expect(store.scoped("a:")).toBe(a);
    expect(a.consume("k", rule, 1).allowed).toBe(true);
    expect(a.consume("k", rule, 1).allowed).toBe(false);
    expect(b.consume("k", rule, 1).allowed).toBe(true);
    expect(store.consume("a:k", rule, 1).allowed).toBe(true);
    expect(store.size).toBe(3);
    for (let i = 0; i < 500; i++) (i % 2 === 0 ? a : b).consume(`flood-${i}`, rule, 1);
    expect(store.size).toBeLessThanOrEqual(100);
  });
});
