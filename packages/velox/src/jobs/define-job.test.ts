import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createJobs, defineJob, sqliteEngine, validatePayload } from "./index.ts";

const payload = z.object({ n: z.int() });
const handler = () => {};

describe("defineJob", () => {
  it("fills the defaults", () => {
    const job = defineJob({ name: "a.b:c-d_1", payload, handler });
    expect(job).toMatchObject({ maxAttempts: 4, timeoutMs: 30_000, concurrency: 1, backoff: { baseMs: 1_000, maxMs: 3_600_000, jitter: "full" } });
    expect(Object.isFrozen(job)).toBe(true);
  });

  it.each([
    [{ name: "", payload, handler }, /job name must match/],
    [{ name: "has space", payload, handler }, /job name must match/],
    [{ name: "x".repeat(101), payload, handler }, /job name must match/],
    [{ name: "ok", payload: {}, handler }, /payload must be a Standard Schema/],
    [{ name: "ok", payload: null, handler }, /payload must be a Standard Schema/],
    [{ name: "ok", payload, handler: "no" }, /handler must be a function/],
    [{ name: "ok", payload, handler, retries: -1 }, /retries must be an integer ≥ 0/],
    [{ name: "ok", payload, handler, retries: 1.5 }, /retries must be an integer/],
    [{ name: "ok", payload, handler, timeoutMs: 0 }, /timeoutMs must be an integer ≥ 1/],
    [{ name: "ok", payload, handler, concurrency: 0 }, /concurrency must be an integer ≥ 1/],
    [{ name: "ok", payload, handler, backoff: { baseMs: 10, maxMs: 5 } }, /backoff needs/],
    [{ name: "ok", payload, handler, backoff: { jitter: "some" } }, /backoff needs/],
  ])("refuses %j", (spec, message) => {
    expect(() => defineJob(spec as never)).toThrow(message);
  });

  it("reports every schema issue with its path", async () => {
    const job = defineJob({ name: "v", payload: z.object({ a: z.int(), b: z.object({ c: z.string() }) }), handler });
    await expect(validatePayload(job, { a: "x", b: { c: 1 } })).rejects.toMatchObject({
      code: "VX_JOB_INVALID_PAYLOAD",
      issues: [{ path: ["a"] }, { path: ["b", "c"] }],
    });
  });
});

describe("createJobs", () => {
  it("refuses a missing engine and duplicate job names", () => {
    expect(() => createJobs({ jobs: [] } as never)).toThrow(/needs an engine/);
    const a = defineJob({ name: "same", payload, handler });
    const b = defineJob({ name: "same", payload, handler });
    expect(() => createJobs({ engine: sqliteEngine({ path: ":memory:" }), jobs: [a, b] })).toThrow(/two jobs are named "same"/);
  });

  it("refuses engines with bad options", () => {
    expect(() => sqliteEngine({} as never)).toThrow(/exactly one of/);
    expect(() => sqliteEngine({ path: "x.db", table: "bad name" })).toThrow(/bad table name/);
  });
});
