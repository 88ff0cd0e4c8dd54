import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createJobs, defineJob, JobError, PermanentJobError, type JobEngine, type Jobs } from "../../src/jobs/index.ts";
import { memoryLogger, recorder, sleep, until } from "./helpers.ts";

/** Per-engine facts the shared suite needs. */
export interface EngineUnderTest {
  /** A fresh, isolated engine (its own file, schema or prefix). */
  make(): Promise<JobEngine>;
  /** Removes what `make` created (after the engine closed). */
  cleanup?(): Promise<void>;
  /** Smallest backoff the engine honours, for the retry tests. */
  fastBackoff: { baseMs: number; maxMs: number; jitter: "none" | "full" };
}

/**
 * The guarantees every engine gives, run against each of them with real storage: validation on
 * both ends, retries, the dead-letter list, idempotency keys, delays, timeouts, concurrency caps
 * and the graceful drain.
 */
export function describeEngineContract(title: string, under: EngineUnderTest): void {
  describe(title, () => {
    let jobs: Jobs | undefined;
    let engine: JobEngine;
    const log = memoryLogger();

    beforeEach(async () => {
      engine = await under.make();
      log.lines.length = 0;
    });
    afterEach(async () => {
      await jobs?.close({ deadlineMs: 2_000 });
      jobs = undefined;
      await under.cleanup?.();
    });

    const open = (definitions: Parameters<typeof createJobs>[0]["jobs"]): Jobs => {
      jobs = createJobs({ engine, jobs: definitions, logger: log });
      return jobs;
    };

    it("validates on enqueue (nothing stored) and hands the handler the schema's output", async () => {
      const seen: unknown[] = [];
      const shout = defineJob({
        name: "shout",
        payload: z.object({ word: z.string().min(1).transform((s) => s.toUpperCase()), n: z.int().min(1) }),
        handler: (payload) => void seen.push(payload),
      });
      const q = open([shout]);
      // @ts-expect-error n must be a number
      const bad = q.enqueue(shout, { word: "hi", n: "x" });
      await expect(bad).rejects.toMatchObject({ code: "VX_JOB_INVALID_PAYLOAD", issues: [{ path: ["n"] }] });
      await expect(q.enqueue(shout, { word: "", n: 1 })).rejects.toBeInstanceOf(JobError);
      await q.enqueue(shout, { word: "hi", n: 2 });
      await q.startWorker({ pollMs: 50 });
      await until(() => seen.length === 1, 10_000, "the valid job");
      await sleep(200);
      expect(seen).toEqual([{ word: "HI", n: 2 }]);
    });

    it("retries failed attempts, then completes; events tell each step", async () => {
      const attempts: number[] = [];
      const flaky = defineJob({
        name: "flaky",
        payload: z.object({}),
        retries: 3,
        backoff: under.fastBackoff,
        handler: (_p, ctx) => {
          attempts.push(ctx.attempt);
          if (ctx.attempt < 3) throw new Error(`boom ${ctx.attempt}`);
        },
      });
      const q = open([flaky]);
      const events = recorder();
      q.on(events.listener);
      const { id } = await q.enqueue(flaky, {});
      await q.startWorker({ pollMs: 50 });
      await until(() => events.of("completed").length === 1, 15_000, "completion");
      expect(attempts).toEqual([1, 2, 3]);
      expect(events.of("failed").map((e) => e.type === "failed" && [e.attempt, e.willRetry, e.error.message])).toEqual([
        [1, true, "boom 1"],
        [2, true, "boom 2"],
      ]);
      expect(events.of("started").every((e) => e.id === id)).toBe(true);
      expect(await q.listFailed()).toEqual([]);
    });

    it("keeps a job that failed its last attempt in the dead-letter list, and retries it on request", async () => {
      let calls = 0;
      let heal = false;
      const doomed = defineJob({
        name: "doomed",
        payload: z.object({ to: z.string() }),
        retries: 1,
        backoff: under.fastBackoff,
        handler: () => {
          calls++;
          if (!heal) throw new Error("smtp refused");
        },
      });
      const q = open([doomed]);
      const { id } = await q.enqueue(doomed, { to: "ada@example.com" });
      await q.startWorker({ pollMs: 50 });
      await until(async () => (await q.listFailed()).length === 1, 15_000, "the dead letter");
      const [dead] = await q.listFailed({ name: "doomed" });
      expect(dead).toMatchObject({ id, name: "doomed", payload: { to: "ada@example.com" }, attempts: 2, error: { message: "smtp refused" } });
      expect(calls).toBe(2);
      expect(await q.listFailed({ name: "other" })).toEqual([]);
      heal = true;
      expect(await q.retryFailed(id)).toBe(true);
      expect(await q.retryFailed(id)).toBe(false);
      expect(await q.retryFailed("no-such-id")).toBe(false);
      await until(() => calls === 3, 10_000, "the retried run");
      await until(async () => (await q.listFailed()).length === 0, 5_000, "an empty dead-letter list");
    });

    it("skips the remaining retries for a PermanentJobError", async () => {
      let calls = 0;
      const permanent = defineJob({
        name: "permanent",
        payload: z.object({}),
        retries: 5,
        handler: () => {
          calls++;
          throw new PermanentJobError("address does not exist");
        },
      });
      const q = open([permanent]);
      await q.enqueue(permanent, {});
      await q.startWorker({ pollMs: 50 });
      await until(async () => (await q.listFailed()).length === 1, 10_000, "the dead letter");
      expect(calls).toBe(1);
      expect((await q.listFailed())[0]!.error).toMatchObject({ name: "PermanentJobError" });
    });

    it("dead-letters a stored payload the schema no longer accepts, without running the handler", async () => {
      let calls = 0;
      const strict = defineJob({ name: "strict", payload: z.object({ n: z.int() }), retries: 3, handler: () => void calls++ });
      const q = open([strict]);
      await q.ready();
      // A payload written by an older version of the app.
      await engine.add({ name: "strict", payload: { n: "old" }, runAt: Date.now(), idempotencyKey: undefined, maxAttempts: 4, backoff: strict.backoff, timeoutMs: strict.timeoutMs });
      await q.startWorker({ pollMs: 50 });
      await until(async () => (await q.listFailed()).length === 1, 10_000, "the dead letter");
      expect(calls).toBe(0);
      expect((await q.listFailed())[0]!.error).toMatchObject({ name: "JobError", message: expect.stringContaining("VX_JOB_INVALID_PAYLOAD") });
    });

    it("adds one job per idempotency key", async () => {
      let calls = 0;
      const once = defineJob({ name: "once", payload: z.object({ user: z.int() }), handler: () => void calls++ });
      const q = open([once]);
      const first = await q.enqueue(once, { user: 1 }, { idempotencyKey: "welcome:1" });
      const again = await q.enqueue(once, { user: 1 }, { idempotencyKey: "welcome:1" });
      const other = await q.enqueue(once, { user: 2 }, { idempotencyKey: "welcome:2" });
      expect(first.duplicate).toBe(false);
      expect(again).toEqual({ id: first.id, duplicate: true });
      expect(other.id).not.toBe(first.id);
      await q.startWorker({ pollMs: 50 });
      await until(() => calls === 2, 10_000, "two runs");
      // Still a duplicate after it ran (the key outlives the run).
      expect(await q.enqueue(once, { user: 1 }, { idempotencyKey: "welcome:1" })).toEqual({ id: first.id, duplicate: true });
      await sleep(300);
      expect(calls).toBe(2);
      await expect(q.enqueue(once, { user: 1 }, { idempotencyKey: "" })).rejects.toMatchObject({ code: "VX_JOB_INVALID_OPTION" });
      await expect(q.enqueue(once, { user: 1 }, { delay: -1 })).rejects.toMatchObject({ code: "VX_JOB_INVALID_OPTION" });
    });

    it("waits for `delay` before running", async () => {
      const ran: number[] = [];
      const later = defineJob({ name: "later", payload: z.object({}), handler: () => void ran.push(Date.now()) });
      const q = open([later]);
      await q.startWorker({ pollMs: 50 });
      const at = Date.now();
      await q.enqueue(later, {}, { delay: 1_500 });
      await until(() => ran.length === 1, 10_000, "the delayed run");
      expect(ran[0]! - at).toBeGreaterThanOrEqual(1_400);
    });

    it("times an attempt out: its signal aborts and the attempt counts as failed", async () => {
      let aborted: unknown;
      const slow = defineJob({
        name: "slow",
        payload: z.object({}),
        retries: 0,
        timeoutMs: 200,
        handler: (_p, { signal }) =>
          new Promise<void>((_, reject) => {
            signal.addEventListener("abort", () => {
              aborted = signal.reason;
              reject(signal.reason as Error);
            });
          }),
      });
      const q = open([slow]);
      await q.enqueue(slow, {});
      await q.startWorker({ pollMs: 50 });
      await until(async () => (await q.listFailed()).length === 1, 10_000, "the timed-out job");
      expect(aborted).toMatchObject({ code: "VX_JOB_TIMEOUT" });
      expect((await q.listFailed())[0]!.error?.message).toContain("VX_JOB_TIMEOUT");
    });

    it("runs at most `concurrency` attempts of a job type at once", async () => {
      let now = 0;
      let peak = 0;
      let done = 0;
      const capped = defineJob({
        name: "capped",
        payload: z.object({ i: z.int() }),
        concurrency: 2,
        handler: async () => {
          peak = Math.max(peak, ++now);
          await sleep(80);
          now--;
          done++;
        },
      });
      const q = open([capped]);
      for (let i = 0; i < 6; i++) await q.enqueue(capped, { i });
      await q.startWorker({ pollMs: 20 });
      await until(() => done === 6, 15_000, "six runs");
      expect(peak).toBe(2);
    });

    it("enqueues follow-up jobs from a handler", async () => {
      const got: string[] = [];
      const second = defineJob({ name: "second", payload: z.object({ from: z.string() }), handler: (p) => void got.push(p.from) });
      const first = defineJob({ name: "first", payload: z.object({}), handler: async (_p, ctx) => void (await ctx.enqueue(second, { from: ctx.id })) });
      const q = open([first, second]);
      const { id } = await q.enqueue(first, {});
      await q.startWorker({ pollMs: 50 });
      await until(() => got.length === 1, 10_000, "the follow-up");
      expect(got).toEqual([id]);
    });

    it("drains: a running attempt finishes within the deadline; one that does not is released and runs again", async () => {
      const runs: { attempt: number; aborted: boolean }[] = [];
      let finishSlow = false;
      const quick = defineJob({ name: "quick", payload: z.object({}), handler: () => sleep(150) });
      const stubborn = defineJob({
        name: "stubborn",
        payload: z.object({}),
        retries: 0,
        timeoutMs: 60_000,
        handler: async (_p, ctx) => {
          const run = { attempt: ctx.attempt, aborted: false };
          runs.push(run);
          while (!finishSlow && !ctx.signal.aborted) await sleep(20);
          run.aborted = ctx.signal.aborted;
          if (ctx.signal.aborted) throw ctx.signal.reason as Error;
        },
      });
      const q = open([quick, stubborn]);
      const events = recorder();
      q.on(events.listener);
      await q.enqueue(quick, {});
      await q.enqueue(stubborn, {});
      const worker = await q.startWorker({ pollMs: 50 });
      await until(() => runs.length === 1 && events.of("started").length === 2, 10_000, "both running");
      const { released } = await worker.stop({ deadlineMs: 600 });
      expect(released).toBe(1);
      expect(events.of("completed").map((e) => e.name)).toEqual(["quick"]);
      expect(events.of("released").map((e) => e.name)).toEqual(["stubborn"]);
      await until(() => runs[0]!.aborted, 2_000, "the released handler to see its signal");
      // Released without spending its only attempt: a new worker runs it again as attempt 1.
      finishSlow = true;
      await q.startWorker({ pollMs: 50 });
      await until(() => events.of("completed").length === 2, 10_000, "the re-run");
      expect(runs.map((r) => r.attempt)).toEqual([1, 1]);
      expect(await q.listFailed()).toEqual([]);
    });

    it("refuses unknown jobs and closed queues", async () => {
      const known = defineJob({ name: "known", payload: z.object({}), handler: () => {} });
      const stranger = defineJob({ name: "stranger", payload: z.object({}), handler: () => {} });
      const q = open([known]);
      await expect(q.enqueue(stranger, {})).rejects.toMatchObject({ code: "VX_JOB_UNKNOWN" });
      await q.close();
      await expect(q.enqueue(known, {})).rejects.toMatchObject({ code: "VX_JOB_CLOSED" });
    });
  });
}
