import { describe, expect, it } from "vitest";
import { runPooled } from "./pool.ts";

describe("runPooled", () => {
  it("keeps at most `limit` tasks in flight and the results in order", async () => {
    let inFlight = 0;
    let most = 0;
    const out = await runPooled([30, 5, 20, 1, 10], 2, async (ms) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return ms * 2;
    });
    expect(out).toEqual([60, 10, 40, 2, 20]);
    expect(most).toBe(2);
  });

  it("handles no items", async () => {
    expect(await runPooled([], 2, async () => 1)).toEqual([]);
  });
});
