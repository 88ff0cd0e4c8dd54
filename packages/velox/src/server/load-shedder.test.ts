import { describe, expect, it } from "vitest";
import { LoadShedder, type OverloadReason } from "./load-shedder.ts";

const off = { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0, maxRssBytes: 0, sampleIntervalMs: 1_000 };

describe("LoadShedder", () => {
  it("is disabled without thresholds", () => {
    expect(new LoadShedder(off).enabled).toBe(false);
  });

  it("reports the exceeded threshold and each change of state once", () => {
    const changes: (OverloadReason | null)[] = [];
    const heap = new LoadShedder({ ...off, maxHeapUsedBytes: 1 }, (reason) => changes.push(reason));
    heap.sample();
    heap.sample();
    expect(heap.overloaded).toBe("heap");
    const rss = new LoadShedder({ ...off, maxRssBytes: 1 });
    rss.sample();
    expect(rss.overloaded).toBe("rss");
    const roomy = new LoadShedder({ ...off, maxRssBytes: Number.MAX_SAFE_INTEGER }, (reason) => changes.push(reason));
    roomy.sample();
    expect(roomy.overloaded).toBeNull();
    expect(changes).toEqual(["heap"]);
  });

  it("measures event-loop delay from a histogram", async () => {
    const shedder = new LoadShedder({ ...off, maxEventLoopDelayMs: 5, sampleIntervalMs: 10_000 });
    shedder.start();
    const until = Date.now() + 40;
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 15));
      const stall = Date.now() + 60;
      while (Date.now() < stall) {
        // Stalls the loop between histogram ticks.
      }
    }
    expect(Date.now()).toBeGreaterThan(until);
    shedder.sample();
    expect(shedder.last.eventLoopDelayMs).toBeGreaterThan(5);
    expect(shedder.overloaded).toBe("event-loop-delay");
    shedder.stop();
    expect(shedder.overloaded).toBeNull();
  });
});
