// BullMQ's delivery behaviour with real worker processes on the real Redis: SIGKILL mid-job,
// and a handler blocking the CPU past its lock.
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, expect, it } from "vitest";
import { bullmqEngine, createJobs, type JobEngine, type Jobs } from "../../src/jobs/index.ts";
import { makeCrashy } from "./fixtures/crash-job.ts";
import { sleep, tempDir, until } from "./helpers.ts";
import { describeRedis, TEST_REDIS_URL } from "./services.ts";
import { killWorkers, standby, WorkerProcess } from "./worker-process.ts";

describeRedis("BullMQ engine with worker processes", () => {
  let prefix = "";
  let jobs: Jobs | undefined;
  let engine: JobEngine & { obliterate(): Promise<void> };
  const dir = tempDir();
  const runsFile = join(dir.dir, "runs.log");
  const lines = (): string[] => readFileSync(runsFile, "utf8").split("\n").filter(Boolean);
  const crashy = makeCrashy(120_000);

  beforeEach(() => {
    prefix = `velox-test-${process.pid}-${randomBytes(4).toString("hex")}`;
    engine = bullmqEngine({ url: TEST_REDIS_URL, prefix }) as typeof engine;
    jobs = createJobs({ engine, jobs: [crashy] });
    writeFileSync(runsFile, "");
  });
  afterEach(async () => {
    killWorkers();
    await engine.obliterate();
    await jobs?.close({ deadlineMs: 500 });
  });
  afterAll(() => dir.cleanup());

  const worker = (tag: string, env: Record<string, string>): WorkerProcess =>
    new WorkerProcess(["--lease", "500", "--poll", "50", "--shutdown-timeout", "1000"], { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, RUNS_FILE: runsFile, TAG: tag, ...env });

  it("re-runs a job exactly once after its worker is killed with SIGKILL (a stall is not an attempt)", { timeout: 60_000 }, async () => {
    const [a, b] = await standby(worker("A", { HOLD_MS: "60000" }), worker("B", { HOLD_MS: "0" }));
    await jobs!.enqueue(crashy, { n: 1 });
    await until(() => lines().includes("start A 1"), 15_000, "A to start the job");
    a.child.kill("SIGKILL");
    await a.exited;
    b.child.kill("SIGCONT");
    await until(() => lines().includes("done B 1"), 15_000, "B to re-run it");
    await sleep(1_500);
    expect(lines()).toEqual(["start A 1", "start B 1", "done B 1"]);
    b.child.kill("SIGTERM");
    expect((await b.exited).code).toBe(0);
  });

  it("pins BullMQ's behaviour for a handler that blocks the CPU past its lock: the stalled checker hands it to a second worker", { timeout: 60_000 }, async () => {
    const [a, b] = await standby(worker("A", { BLOCK_MS: "3000" }), worker("B", { HOLD_MS: "0" }));
    await jobs!.enqueue(crashy, { n: 2 });
    await until(() => lines().includes("start A 1"), 15_000, "A to start the job");
    b.child.kill("SIGCONT");
    await until(() => lines().includes("done A 1") && lines().includes("done B 1"), 20_000, "both runs");
    const seen = lines();
    expect(seen.indexOf("start B 1")).toBeLessThan(seen.indexOf("done A 1"));
    // A's late completion is refused (its lock is gone) and logged; the job ends completed once, by B.
    await until(() => a.logs.some((l) => String(l.msg).includes("could not record the job's outcome")), 5_000, "A's refused completion");
  });
});
