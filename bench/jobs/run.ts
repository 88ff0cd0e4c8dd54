// `npm run jobs -w bench -- [--jobs 500] [--samples 30] [--concurrency 10] [--only sqlite,pg-boss,bullmq]`
// Add→start latency (p50, p95) and throughput (jobs/s) of velox/jobs on each engine, and of the
// same engine used directly (raw BullMQ, raw pg-boss), in one run. Uses the machine's PostgreSQL
// (a schema created and dropped here) and Redis (a key prefix removed here). A benchmark, not a
// test: the machine is shared, so compare rows of one run, never across runs.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Queue, Worker } from "bullmq";
import pg from "pg";
import PgBoss from "pg-boss";
import { z } from "zod";
import { bullmqEngine, createJobs, defineJob, pgBossEngine, sqliteEngine, type JobEngine } from "velox/jobs";

const { values } = parseArgs({ options: { jobs: { type: "string" }, samples: { type: "string" }, only: { type: "string" }, concurrency: { type: "string" } } });
const N = Number(values.jobs ?? 500);
const SAMPLES = Number(values.samples ?? 30);
const CONCURRENCY = Number(values.concurrency ?? 10);
const ONLY = new Set((values.only ?? "sqlite,pg-boss,bullmq").split(","));
const PG_URL = process.env.VELOX_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.VELOX_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const silent = { info() {}, warn() {}, error() {} };
const tag = `${process.pid}_${randomBytes(3).toString("hex")}`;

interface Row {
  name: string;
  config: string;
  p50: number;
  p95: number;
  throughput: number;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `SAMPLES` jobs one at a time on an idle queue; the delay from before `add` to handler start. */
async function latency(add: (t0: number) => Promise<void>, started: { next: () => Promise<number> }): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    const wait = started.next();
    await add(t0);
    out.push((await wait) - t0);
    await sleep(20);
  }
  return out;
}

/** A handler-side signal: resolves with the time the next job started. */
function starts(): { hit: () => void; next: () => Promise<number> } {
  let resolve: ((t: number) => void) | null = null;
  return {
    hit: () => {
      const r = resolve;
      resolve = null;
      r?.(performance.now());
    },
    next: () => new Promise<number>((r) => (resolve = r)),
  };
}

/** Enqueues N jobs up front, then times the worker until all ran. */
async function throughput(addAll: () => Promise<void>, startWorker: () => Promise<void>, done: () => number): Promise<number> {
  await addAll();
  const t0 = performance.now();
  await startWorker();
  while (done() < N) await sleep(5);
  return N / ((performance.now() - t0) / 1000);
}

async function veloxRows(label: string, makeEngine: () => JobEngine, pollMs: number): Promise<Row[]> {
  const rows: Row[] = [];
  // Latency, producer on another engine instance (as another process would be: no local wake-up).
  {
    const signal = starts();
    const job = defineJob({ name: "bench", payload: z.object({}), handler: () => signal.hit() });
    const worker = createJobs({ engine: makeEngine(), jobs: [job], logger: silent });
    const producer = createJobs({ engine: makeEngine(), jobs: [job], logger: silent });
    await worker.startWorker({ pollMs });
    await producer.ready();
    const remote = await latency(async () => void (await producer.enqueue(job, {})), signal);
    const local = await latency(async () => void (await worker.enqueue(job, {})), signal);
    await producer.close();
    await worker.close();
    rows.push({ name: `velox/jobs ${label}`, config: `producer in another instance, poll ${pollMs} ms`, p50: quantile(remote, 0.5), p95: quantile(remote, 0.95), throughput: NaN });
    rows.push({ name: `velox/jobs ${label}`, config: "producer in the worker's process (wake-up)", p50: quantile(local, 0.5), p95: quantile(local, 0.95), throughput: NaN });
  }
  {
    let done = 0;
    const job = defineJob({ name: "bench_tp", payload: z.object({ i: z.int() }), concurrency: CONCURRENCY, handler: () => void done++ });
    const jobs = createJobs({ engine: makeEngine(), jobs: [job], logger: silent });
    const tp = await throughput(
      async () => {
        for (let i = 0; i < N; i++) await jobs.enqueue(job, { i });
      },
      async () => void (await jobs.startWorker({ pollMs })),
      () => done,
    );
    await jobs.close();
    rows[0]!.throughput = tp;
    rows[0]!.config += `, concurrency ${CONCURRENCY}`;
  }
  return rows;
}

async function rawBullmq(prefix: string): Promise<Row> {
  const connection = { host: "127.0.0.1", port: 6379, maxRetriesPerRequest: null };
  const signal = starts();
  const queue = new Queue("raw", { connection, prefix });
  const worker = new Worker("raw", async () => signal.hit(), { connection, prefix, concurrency: 1 });
  await worker.waitUntilReady();
  const lat = await latency(async () => void (await queue.add("raw", {}, { removeOnComplete: true })), signal);
  await worker.close();
  let done = 0;
  const tpQueue = new Queue("raw_tp", { connection, prefix });
  let tpWorker: Worker | undefined;
  const tp = await throughput(
    async () => {
      for (let i = 0; i < N; i++) await tpQueue.add("raw_tp", { i }, { removeOnComplete: true });
    },
    async () => {
      tpWorker = new Worker("raw_tp", async () => void done++, { connection, prefix, concurrency: CONCURRENCY });
    },
    () => done,
  );
  await tpWorker?.close();
  for (const q of [queue, tpQueue]) {
    await q.obliterate({ force: true });
    await q.close();
  }
  return { name: "raw BullMQ", config: `Worker (blocking fetch), concurrency ${CONCURRENCY}`, p50: quantile(lat, 0.5), p95: quantile(lat, 0.95), throughput: tp };
}

async function rawPgBoss(schema: string): Promise<Row> {
  const boss = new PgBoss({ connectionString: PG_URL, schema, schedule: false, max: 4 });
  boss.on("error", () => undefined);
  await boss.start();
  await boss.createQueue("raw");
  await boss.createQueue("raw_tp");
  const signal = starts();
  await boss.work("raw", { pollingIntervalSeconds: 0.5 }, async () => signal.hit());
  const lat = await latency(async () => void (await boss.send("raw", {})), signal);
  await boss.offWork("raw");
  let done = 0;
  const tp = await throughput(
    async () => {
      for (let i = 0; i < N; i++) await boss.send("raw_tp", { i });
    },
    async () => void (await boss.work("raw_tp", { pollingIntervalSeconds: 0.5, batchSize: CONCURRENCY }, async (jobs) => void (done += jobs.length))),
    () => done,
  );
  await boss.stop({ graceful: false, wait: true });
  return { name: "raw pg-boss", config: `work(), poll 0.5 s (its minimum), batchSize ${CONCURRENCY}`, p50: quantile(lat, 0.5), p95: quantile(lat, 0.95), throughput: tp };
}

async function dropSchemas(...schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await client.end();
}

const rows: Row[] = [];
const dir = mkdtempSync(join(tmpdir(), "velox-jobs-bench-"));
const schemas: string[] = [];
try {
  if (ONLY.has("sqlite")) {
    const path = join(dir, "bench.db");
    rows.push(...(await veloxRows("SQLite", () => sqliteEngine({ path }), 100)));
  }
  if (ONLY.has("pg-boss")) {
    const schema = `velox_bench_${tag}`;
    schemas.push(schema, `velox_bench_raw_${tag}`);
    rows.push(...(await veloxRows("pg-boss", () => pgBossEngine({ connectionString: PG_URL, schema, max: 4 }), 100)));
    rows.push(await rawPgBoss(`velox_bench_raw_${tag}`));
  }
  if (ONLY.has("bullmq")) {
    const prefix = `velox-bench-${tag}`;
    rows.push(...(await veloxRows("BullMQ", () => bullmqEngine({ url: REDIS_URL, prefix }), 100)));
    const cleanup = bullmqEngine({ url: REDIS_URL, prefix }) as JobEngine & { obliterate(): Promise<void> };
    await cleanup.prepare(["bench", "bench_tp"]);
    await cleanup.obliterate();
    await cleanup.close();
    rows.push(await rawBullmq(`velox-bench-raw-${tag}`));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (schemas.length > 0) await dropSchemas(...schemas);
}

const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "—");
console.log(`\nvelox/jobs bench — ${N} jobs for throughput, ${SAMPLES} latency samples, Node ${process.version}, ${new Date().toISOString()}`);
console.log("Machine shared with other work: compare rows of this run only.\n");
console.log("| engine | setup | add→start p50 (ms) | p95 (ms) | throughput (jobs/s) |");
console.log("|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.name} | ${r.config} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.throughput, 0)} |`);
process.exit(0);
