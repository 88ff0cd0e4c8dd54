// `velox jobs failed|retry` and `velox worker` over a real process, on a SQLite queue with a
// dead-lettered job.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createJobs, defineJob, sqliteEngine } from "../../src/jobs/index.ts";
import { z } from "zod";
import { tempDir, until } from "./helpers.ts";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../../bin/velox.js", import.meta.url));
const MODULE = fileURLToPath(new URL("./fixtures/crash-jobs.ts", import.meta.url));
const dir = tempDir();
afterAll(() => dir.cleanup());

async function velox(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--conditions=velox-source", BIN, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("velox jobs", () => {
  it("lists dead-lettered jobs as JSON lines and retries them by id", async () => {
    const db = join(dir.dir, "cli.db");
    const runs = join(dir.dir, "runs.log");
    writeFileSync(runs, "");
    const env = { JOBS_DB: db, RUNS_FILE: runs };
    // The same job name as the fixture's, failing for good here.
    const crashy = defineJob({ name: "crashy", payload: z.object({ n: z.int() }), retries: 0, handler: () => Promise.reject(new Error("mailbox full")) });
    const jobs = createJobs({ engine: sqliteEngine({ path: db }), jobs: [crashy], logger: { info() {}, warn() {}, error() {} } });
    const { id } = await jobs.enqueue(crashy, { n: 7 });
    await jobs.startWorker({ pollMs: 20 });
    await until(async () => (await jobs.listFailed()).length === 1, 10_000, "the dead letter");
    await jobs.close();

    const listed = await velox(["jobs", "failed", MODULE, "--name", "crashy"], env);
    expect(listed.code).toBe(0);
    const rows = listed.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: string; payload: unknown; error: { message: string } });
    expect(rows).toMatchObject([{ id, payload: { n: 7 }, error: { message: "mailbox full" } }]);

    const retried = await velox(["jobs", "retry", MODULE, id, "999999"], env);
    expect(retried.code).toBe(1); // one of the ids was not a failed job
    expect(retried.stdout.trim().split("\n").map((l) => JSON.parse(l) as unknown)).toEqual([{ id, retried: true }, { id: "999999", retried: false }]);
    const reopened = createJobs({ engine: sqliteEngine({ path: db }), jobs: [crashy], logger: { info() {}, warn() {}, error() {} } });
    expect(await reopened.listFailed()).toEqual([]);
    await reopened.close();
  });

  it("explains a module without a job queue", async () => {
    const other = join(dir.dir, "nothing.mjs");
    writeFileSync(other, "export const x = 1;\n");
    const result = await velox(["worker", other], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("has no job queue");
  });
});
