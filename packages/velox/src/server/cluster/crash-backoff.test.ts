import { describe, expect, it } from "vitest";
import { CrashBackoff } from "./crash-backoff.ts";

const options = { restartDelayMs: 100, maxRestartDelayMs: 1_000, maxCrashes: 5, stableAfterMs: 10_000 };

describe("CrashBackoff", () => {
  it("doubles the delay per consecutive crash up to the cap, then gives up past maxCrashes", () => {
    const backoff = new CrashBackoff(options);
    const decisions = Array.from({ length: 6 }, () => backoff.record(50));
    expect(decisions.map((d) => d.delayMs)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(decisions.map((d) => d.giveUp)).toEqual([false, false, false, false, false, true]);
  });

  it("starts over after a worker that had been stable", () => {
    const backoff = new CrashBackoff(options);
    backoff.record(10);
    backoff.record(10);
    expect(backoff.record(60_000)).toEqual({ consecutive: 1, delayMs: 100, giveUp: false });
  });
});
