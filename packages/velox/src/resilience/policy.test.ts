import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { HTTPException } from "../http-exception.ts";
import { BulkheadFullError, CircuitOpenError, TimeoutError } from "./errors.ts";
import { resilience } from "./policy.ts";

describe("resilience", () => {
  it("times out an attempt and aborts the work through its signal", async () => {
    const policy = resilience({ name: "slow", timeoutMs: 20 });
    let aborted = false;
    const error = await policy
      .run(async (signal) => {
        signal.addEventListener("abort", () => void (aborted = true));
        await sleep(5_000, undefined, { signal }).catch(() => undefined);
        return "late";
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).status).toBe(504);
    expect(aborted).toBe(true);
  });

  it("retries failures with backoff, and not 4xx HTTPExceptions", async () => {
    const policy = resilience({ retry: { retries: 3, initialDelayMs: 1, maxDelayMs: 5 } });
    let calls = 0;
    const value = await policy.run(() => {
      calls++;
      if (calls < 3) throw new Error("flaky");
      return 42;
    });
    expect([value, calls]).toEqual([42, 3]);
    let denied = 0;
    await expect(policy.run(() => { denied++; throw new HTTPException(404, "no"); })).rejects.toMatchObject({ status: 404 });
    expect(denied).toBe(1);
    let failing = 0;
    await expect(policy.run(() => { failing++; throw new Error("down"); })).rejects.toThrow("down");
    expect(failing).toBe(4);
  });

  it("opens the circuit after consecutive failures: 503 with Retry-After, then a half-open trial closes it", async () => {
    const policy = resilience({ name: "db", breaker: { threshold: 2, halfOpenAfterMs: 40 } });
    let calls = 0;
    const fail = () => { calls++; throw new Error("down"); };
    await expect(policy.run(fail)).rejects.toThrow("down");
    await expect(policy.run(fail)).rejects.toThrow("down");
    expect(policy.state).toBe("open");
    const open = await policy.run(fail).catch((e: unknown) => e);
    expect(open).toBeInstanceOf(CircuitOpenError);
    expect((open as CircuitOpenError).status).toBe(503);
    expect((open as CircuitOpenError).headers).toEqual({ "retry-after": "1" });
    expect(calls).toBe(2);
    await sleep(50);
    expect(await policy.run(() => "back")).toBe("back");
    expect(policy.state).toBe("closed");
  });

  it("isolate() holds the circuit open until reset()", async () => {
    const policy = resilience({ breaker: {} });
    await policy.isolate();
    await expect(policy.run(() => 1)).rejects.toBeInstanceOf(CircuitOpenError);
    policy.reset();
    expect(await policy.run(() => 1)).toBe(1);
  });

  it("a bulkhead refuses calls beyond its slots and queue with a 503", async () => {
    const policy = resilience({ bulkhead: { limit: 2, queue: 1 } });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = [1, 2, 3].map((n) => policy.run(async () => { await gate; return n; }));
    const refused = await policy.run(() => 4).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BulkheadFullError);
    expect((refused as BulkheadFullError).headers).toEqual({ "retry-after": "1" });
    release();
    expect(await Promise.all(running)).toEqual([1, 2, 3]);
  });

  it("falls back with the final error, typed as the union", async () => {
    const policy = resilience({ timeoutMs: 10 });
    const seen: unknown[] = [];
    const value: number | string = await policy.run(() => sleep(1_000).then(() => 1), { fallback: (e) => (seen.push(e), "cached") });
    expect(value).toBe("cached");
    expect(seen[0]).toBeInstanceOf(TimeoutError);
  });

  it("wrap keeps the arguments and the result; the caller's signal cancels", async () => {
    const policy = resilience({ timeoutMs: 1_000 });
    const add = policy.wrap(async (_signal, a: number, b: number) => a + b);
    expect(await add(2, 3)).toBe(5);
    const controller = new AbortController();
    const pending = policy.run((signal) => sleep(5_000, "x", { signal }), { signal: controller.signal });
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(TimeoutError);
  });

  it("refuses bad options", () => {
    expect(() => resilience({ timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => resilience({ bulkhead: { limit: 0 } })).toThrow(/bulkhead.limit/);
    expect(() => resilience({ retry: { retries: -1 } })).toThrow(/retries/);
  });
});
