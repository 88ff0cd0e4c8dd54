import { describe, expect, it } from "vitest";
import { Breaker, type BreakerState } from "./breaker.ts";

describe("Breaker", () => {
  it("opens after consecutive failures, probes once, and closes on success", async () => {
    const changes: BreakerState[] = [];
    const breaker = new Breaker({ threshold: 2, halfOpenAfterMs: 20, onChange: (s) => changes.push(s) });
    breaker.failure();
    breaker.success();
    breaker.failure();
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.allow()).toBe(false);
    await new Promise((r) => setTimeout(r, 25));
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false); // one probe only
    breaker.failure();
    expect(breaker.state).toBe("open");
    await new Promise((r) => setTimeout(r, 25));
    expect(breaker.allow()).toBe(true);
    breaker.success();
    expect(breaker.allow()).toBe(true);
    expect(changes).toEqual(["open", "half-open", "open", "half-open", "closed"]);
  });
});
