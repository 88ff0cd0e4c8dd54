import { describe, expect, it } from "vitest";
import type { Cell, Run } from "./measure.ts";
import { summarize } from "./summary.ts";

const run = (rps: number): Run => ({ rps, requests: rps * 10, p50Ms: 1, p99Ms: 2, non2xx: 0, errors: 0, serverCpuS: 10 });
const cell = (server: string, rps: number[]): Cell => ({ server, workload: "json", runs: rps.map(run), rssMiB: 50 });

describe("summarize", () => {
  it("gives the ratio of medians and the median of per-round ratios", () => {
    // The machine slows down in round 2 for both servers; velox is 0.9 of raw in every round.
    const [raw, velox] = summarize([cell("raw", [100, 50, 110]), cell("velox", [90, 45, 99])]);
    expect(raw!.ratio).toBe(1);
    expect(velox!.rps).toBe(90);
    expect(velox!.ratio).toBeCloseTo(0.9);
    expect(velox!.pairedRatio).toBeCloseTo(0.9);
  });

  it("pairs round by round, so drift does not leak into the paired ratio", () => {
    // Ratio of medians: 95/100 = 0.95; every round says 1.0 except the drifted one.
    const [, other] = summarize([cell("raw", [100, 120, 80]), cell("other", [100, 95, 80])]);
    expect(other!.ratio).toBeCloseTo(0.95);
    expect(other!.pairedRatio).toBeCloseTo(1);
  });

  it("has no ratios without the baseline", () => {
    const [only] = summarize([cell("velox", [90])]);
    expect(only!.ratio).toBeNull();
    expect(only!.pairedRatio).toBeNull();
  });
});
