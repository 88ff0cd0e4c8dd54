import { describe, expect, it } from "vitest";
import { gcra, gcraRule } from "./gcra.ts";

/** Replays requests at the given times against one bucket; answers which were allowed. */
function replay(times: number[], rule = gcraRule(10, 1_000)): boolean[] {
  let tat = 0;
  return times.map((now) => {
    const d = gcra(tat, now, rule);
    if (d.allowed) tat = d.tat;
    return d.allowed;
  });
}

describe("gcra", () => {
  it("allows a burst of the limit, then one request per interval", () => {
    const burst = replay(Array.from({ length: 12 }, () => 5_000));
    expect(burst.filter(Boolean)).toHaveLength(10);
    expect(replay([...Array.from({ length: 10 }, () => 5_000), 5_099, 5_100, 5_150, 5_200])).toEqual([...Array(10).fill(true), false, true, false, true]);
  });

  it("has no double burst at a window edge: the limit at 0.95 s leaves one more at 1.05 s, not ten", () => {
    const times = [...Array.from({ length: 10 }, () => 950), ...Array.from({ length: 10 }, () => 1_050)];
    expect(replay(times).filter(Boolean)).toHaveLength(11);
  });

  it("reports remaining, reset and retry-after", () => {
    const rule = gcraRule(3, 3_000);
    const first = gcra(0, 10_000, rule);
    expect(first).toMatchObject({ allowed: true, remaining: 2, resetMs: 1_000, retryAfterMs: 0 });
    const full = gcra(13_000_000, 10_000, rule); // tat in µs, now in ms
    expect(full).toMatchObject({ allowed: false, remaining: 0, resetMs: 3_000, retryAfterMs: 1_000 });
  });

  it("does not lose a request to float crumbs (limit 3 per 1 s: 333.33… ms each)", () => {
    expect(replay([0, 0, 0, 0], gcraRule(3, 1_000))).toEqual([true, true, true, false]);
    expect(replay([0, 0, 0, 1_000, 1_000, 1_000, 1_000], gcraRule(3, 1_000)).filter(Boolean)).toHaveLength(6);
  });

  it("allows exactly the limit at today's clock, whatever the limit (regression: 7 per second allowed 6)", () => {
    for (const [limit, windowMs] of [[3, 1_000], [7, 1_000], [13, 60_000], [100, 1_000], [999, 60_000], [1_000, 1_000]] as const) {
      for (let trial = 0; trial < 200; trial++) {
        const now = Math.floor(1.78e12 + Math.random() * 1e10) + (trial % 2) * Math.random();
        const rule = gcraRule(limit, windowMs);
        let tat = 0;
        let allowed = 0;
        for (let i = 0; i < limit + 3; i++) {
          const d = gcra(tat, now, rule);
          if (!d.allowed) continue;
          expect(d.remaining).toBe(limit - 1 - allowed);
          allowed++;
          tat = d.tat;
        }
        expect(allowed).toBe(limit);
      }
    }
  });

  it("a smaller burst spaces requests out", () => {
    expect(replay([0, 0, 0, 100, 200], gcraRule(10, 1_000, 2))).toEqual([true, true, false, true, true]);
  });
});
