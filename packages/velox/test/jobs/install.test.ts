// jobs.install(app): the worker's place in the app's lifecycle, in process and under `velox run --jobs`.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { createJobs, defineJob, jobsOf, sqliteEngine } from "../../src/jobs/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { memoryLogger, sleep, tempDir, until } from "./helpers.ts";

const dir = tempDir();
afterAll(() => dir.cleanup());
let n = 0;
const dbPath = () => join(dir.dir, `install-${n++}.db`);

function makeApp(options: { worker?: boolean; order: string[] }) {
  const log = memoryLogger();
  const slow = defineJob({
    name: "slow",
    payload: z.object({ ms: z.int() }),
    handler: async ({ ms }, ctx) => {
      options.order.push(`job start ${String(ctx.state.db)}`);
      await sleep(ms);
      options.order.push("job end");
    },
  });
  const app = new Velox({
    logger: log,
    lifespan: async function* () {
      options.order.push("lifespan start");
      yield { db: "db-handle" };
      options.order.push("lifespan cleanup");
    },
  });
  const jobs = createJobs({ engine: sqliteEngine({ path: dbPath() }), jobs: [slow] });
  jobs.install(app, { worker: options.worker, workerOptions: { pollMs: 50 }, drainMs: 5_000 });
  app.post("/slow", { body: z.object({ ms: z.int() }), deps: { enqueue: jobs.dependency } }, async ({ body, enqueue }) => enqueue(slow, body));
  return { app, jobs, log };
}

describe("jobs.install(app)", () => {
  const saved = process.env.VELOX_JOBS_WORKER;
  afterEach(() => {
    if (saved === undefined) delete process.env.VELOX_JOBS_WORKER;
    else process.env.VELOX_JOBS_WORKER = saved;
  });

  it("runs jobs with the app's state, and drains a running job before the lifespan's cleanup", async () => {
    const order: string[] = [];
    const { app, jobs, log } = makeApp({ worker: true, order });
    expect(jobsOf(app)).toBe(jobs);
    const client = new TestClient(app);
    await client.start();
    const res = await client.post("/slow", { json: { ms: 300 } });
    expect(res.json()).toMatchObject({ duplicate: false });
    await until(() => order.includes("job start db-handle"), 5_000, "the job");
    await client.close();
    expect(order).toEqual(["lifespan start", "job start db-handle", "job end", "lifespan cleanup"]);
    // Logs went through the app's logger.
    expect(log.lines.some((l) => l.msg === "job worker started")).toBe(true);
    expect(log.lines.some((l) => l.msg === "job worker stopped")).toBe(true);
  });

  it("starts no worker unless asked (worker: true, or VELOX_JOBS_WORKER=1 from velox run --jobs)", async () => {
    delete process.env.VELOX_JOBS_WORKER;
    const order: string[] = [];
    const off = makeApp({ order });
    const client = new TestClient(off.app);
    await client.start();
    await client.post("/slow", { json: { ms: 1 } });
    await sleep(300);
    expect(order).toEqual(["lifespan start"]);
    await client.close();

    process.env.VELOX_JOBS_WORKER = "1";
    const on = makeApp({ order: [] });
    const client2 = new TestClient(on.app);
    await client2.start();
    await client2.post("/slow", { json: { ms: 1 } });
    await until(() => on.log.lines.some((l) => l.msg === "job worker started"), 5_000, "the worker");
    await client2.close();
  });
});

describe("velox run --jobs", () => {
  const BIN = fileURLToPath(new URL("../../bin/velox.js", import.meta.url));
  const FIXTURE = fileURLToPath(new URL("./fixtures/app-with-jobs.ts", import.meta.url));

  async function serveOnce(jobsFlag: boolean, env: Record<string, string>): Promise<{ url: string; stop: () => Promise<number | null>; output: () => string }> {
    const args = ["--conditions=velox-source", BIN, "run", FIXTURE, "--port", "0", "--workers", "0", "--shutdown-timeout", "3000", ...(jobsFlag ? ["--jobs"] : [])];
    const clean = { ...process.env };
    delete clean.VELOX_JOBS_WORKER;
    const child = spawn(process.execPath, args, { env: { ...clean, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    let url = "";
    await until(() => {
      url = /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1] ?? "";
      return url !== "" || child.exitCode !== null;
    }, 30_000, "the server");
    if (!url) throw new Error(output);
    return { url, output: () => output, stop: () => (child.kill("SIGTERM"), exited) };
  }

  it("runs the installed queue's worker in the server process with --jobs", async () => {
    const runs = join(dir.dir, "runs.txt");
    writeFileSync(runs, "");
    const env = { JOBS_DB: join(dir.dir, "run.db"), RUNS_FILE: runs };
    // A job queued while no server ran.
    const note = defineJob({ name: "note", payload: z.object({ text: z.string() }), handler: () => {} });
    const producer = createJobs({ engine: sqliteEngine({ path: env.JOBS_DB }), jobs: [note] });
    await producer.enqueue(note, { text: "queued-before" });
    await producer.close();
    const server = await serveOnce(true, env);
    await until(() => readFileSync(runs, "utf8").includes("queued-before from-lifespan"), 10_000, "the queued job");
    const post = await fetch(`${server.url}/jobs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "second" }) });
    expect(post.status).toBe(202);
    await until(() => readFileSync(runs, "utf8").includes("second from-lifespan"), 10_000, "the second job");
    expect(await server.stop()).toBe(0);
    expect(server.output()).toContain("job worker stopped");
    expect(existsSync(env.JOBS_DB)).toBe(true);
  });
});
