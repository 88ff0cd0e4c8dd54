import { existsSync, readFileSync, rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { activeHandles, cpuProfile, eventLoopDelay, heapStatistics, isProfiling, takeHeapSnapshot } from "./probes.ts";

describe("diagnostic probes", () => {
  it("takes a CPU profile in .cpuprofile shape, one at a time", async () => {
    const pending = cpuProfile(0.2);
    expect(isProfiling()).toBe(true);
    await expect(cpuProfile(0.1)).rejects.toThrow(/already being taken/);
    const profile = (await pending) as { nodes: unknown[]; startTime: number; endTime: number; samples: number[] };
    expect(profile.nodes.length).toBeGreaterThan(0);
    expect(profile.endTime).toBeGreaterThan(profile.startTime);
    expect(isProfiling()).toBe(false);
  });

  it("reports heap, event-loop delay and active handles", async () => {
    expect(heapStatistics()).toMatchObject({ pid: process.pid, heap: { used_heap_size: expect.any(Number) } });
    eventLoopDelay();
    await new Promise((r) => setTimeout(r, 60));
    const delay = eventLoopDelay(true) as { samples: number; p99Ms: number };
    expect(delay.samples).toBeGreaterThan(0);
    expect(delay.p99Ms).toBeGreaterThanOrEqual(0);
    const timer = setTimeout(() => {}, 10_000);
    expect((activeHandles() as { byType: Record<string, number> }).byType.Timeout).toBeGreaterThanOrEqual(1);
    clearTimeout(timer);
  });

  it("writes a heap snapshot file", () => {
    const file = takeHeapSnapshot();
    try {
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, "utf8").slice(0, 20)).toContain("snapshot");
    } finally {
      rmSync(file, { force: true });
    }
  });
});
