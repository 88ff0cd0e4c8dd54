// The SQLite queue's delivery guarantees with real processes: a worker killed with SIGKILL
// mid-job leads to exactly one re-run once its lease expires; a handler that blocks the CPU
// past its lease is not run a second time while it still runs; SIGTERM drains.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createJobs, sqliteEngine, type Jobs } from "../../src/jobs/index.ts";
import { crashy } from "./fixtures/crash-job.ts";
import { sleep, tempDir, until } from "./helpers.ts";
import { WorkerProcess, killWorkers, standby } from "./worker-process.ts";

const dir = tempDir();
const db = join(dir.dir, "jobs.db");
const runsFile = join(dir.dir, "runs.log");
const lines = (): string[] => readFileSync(runsFile, "utf8").split("\n").filter(Boolean);
let producer: Jobs | undefined;

afterEach(async () => {
  killWorkers();
  await producer?.close();
  producer = undefined;
});
afterAll(() => dir.cleanup());

function worker(tag: string, env: Record<string, string>, lease = 400): WorkerProcess {
  return new WorkerProcess(["--lease", String(lease), "--poll", "50", "--shutdown-timeout", "1000"], { JOBS_DB: db, RUNS_FILE: runsFile, TAG: tag, ...env });
}

describe("SQLite queue with real worker processes", () => {
  it("re-runs a job exactly once after its worker is killed with SIGKILL mid-job", { timeout: 60_000 }, async () => {
    writeFileSync(runsFile, "");
    producer = createJobs({ engine: sqliteEngine({ path: db }), jobs: [crashy] });
    const [a, b] = await standby(worker("A", { HOLD_MS: "60000" }), worker("B", { HOLD_MS: "0" }));
    await producer.enqueue(crashy, { n: 1 });
    await until(() => lines().includes("start A 1"), 15_000, "A to start the job");
    a.child.kill("SIGKILL");
    await a.exited;
    b.child.kill("SIGCONT");
    await until(() => lines().includes("done B 2"), 15_000, "B to re-run it");
    await sleep(1_500); // several lease periods: nothing runs it again
    expect(lines()).toEqual(["start A 1", "start B 2", "done B 2"]);
    expect(await producer.listFailed()).toEqual([]);
    b.child.kill("SIGTERM");
    expect((await b.exited).code).toBe(0);
  });

  it("does not run a job twice while a handler blocks the CPU past its lease", { timeout: 60_000 }, async () => {
    writeFileSync(runsFile, "");
    producer = createJobs({ engine: sqliteEngine({ path: db }), jobs: [crashy] });
    // B must not see the job first: A claims it alone, then B watches with the lease expired.
    const [, b] = await standby(worker("A", { BLOCK_MS: "2500" }, 300), worker("B", { HOLD_MS: "0" }, 300));
    await producer.enqueue(crashy, { n: 2 });
    await until(() => lines().includes("start A 1"), 15_000, "A to start the job");
    b.child.kill("SIGCONT");
    await until(() => lines().includes("done A 1"), 15_000, "A to finish");
    await sleep(800);
    expect(lines()).toEqual(["start A 1", "done A 1"]);
    expect(await producer.listFailed()).toEqual([]);
  });

  it("drains on SIGTERM: a job that outlives the deadline is released and runs again with the same attempt", { timeout: 60_000 }, async () => {
    writeFileSync(runsFile, "");
    producer = createJobs({ engine: sqliteEngine({ path: db }), jobs: [crashy] });
    const [a, b] = await standby(worker("A", { HOLD_MS: "60000" }), worker("B", { HOLD_MS: "0" }));
    await producer.enqueue(crashy, { n: 3 });
    await until(() => lines().includes("start A 1"), 15_000, "A to start the job");
    a.child.kill("SIGTERM");
    const exit = await a.exited;
    expect(exit.code).toBe(0);
    expect(a.logs.some((l) => l.msg === "job released at the drain deadline; it will run again")).toBe(true);
    b.child.kill("SIGCONT");
    await until(() => lines().includes("done B 1"), 15_000, "B to run it");
    expect(lines()).toEqual(["start A 1", "start B 1", "done B 1"]);
    b.child.kill("SIGTERM");
    await b.exited;
  });
});
