import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.ts";

describe("backoffDelay", () => {
  const policy = { baseMs: 1_000, maxMs: 10_000, jitter: "none" as const };
  it("doubles from the base and stops at the cap", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });
  it("jitters within [d/2, d]", () => {
    const jittered = { ...policy, jitter: "full" as const };
    expect(backoffDelay(3, jittered, () => 0)).toBe(2_000);
    expect(backoffDelay(3, jittered, () => 0.999999)).toBe(4_000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(2, jittered);
      expect(d).toBeGreaterThanOrEqual(1_000);
      expect(d).toBeLessThanOrEqual(2_000);
    }
  });
  it("survives huge attempt numbers", () => {
    expect(backoffDelay(10_000, policy)).toBe(10_000);
  });
});
