import { createHash, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import type { ConnectionOptions, Job, MinimalJob, Queue, Worker } from "bullmq";
import { backoffDelay } from "./backoff.ts";
import type { ClaimedJob, ClaimOptions, FailedJob, JobEngine, NewJob } from "./engine.ts";
import { JobError, type StoredError } from "./errors.ts";
import { importOptionalPeer } from "../optional-peer.ts";

/** Options of {@link bullmqEngine}. */
export interface BullMQEngineOptions {
  /** `redis://[user:password@]host:port[/db]` (BullMQ opens its own connections). */
  url: string;
  /** Key prefix of every queue (default `velox`); tests use one per run. */
  prefix?: string;
  /** How long completed jobs (and so their idempotency keys) are kept (default 24 h). */
  keepCompletedSeconds?: number;
  /** How many dead-lettered jobs each queue keeps (default 10 000). */
  keepFailed?: number;
}

type Claimed = ClaimedJob & { token: string; job: Job };

function connectionOf(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new JobError("VX_JOB_INVALID_OPTION", "bullmqEngine(): url must be redis://host:port[/db]");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") throw new JobError("VX_JOB_INVALID_OPTION", "bullmqEngine(): url must start with redis:// or rediss://");
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(Number.isInteger(db) ? { db } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    // BullMQ workers need commands to wait through reconnects instead of failing.
    maxRetriesPerRequest: null,
  };
}

/** Our backoff travels in the job's own options: `velox:<baseMs>:<maxMs>:<jitter>`. */
function backoffType(job: NewJob): string {
  return `velox:${job.backoff.maxMs}:${job.backoff.jitter}`;
}

function veloxBackoff(attemptsMade: number, type?: string, _err?: Error, job?: MinimalJob): number {
  const [, max, jitter] = (type ?? "").split(":");
  const base = (job?.opts.backoff as { delay?: number } | undefined)?.delay ?? 1_000;
  return backoffDelay(attemptsMade, { baseMs: base, maxMs: Number(max ?? 3_600_000), jitter: jitter === "none" ? "none" : "full" });
}

/**
 * Redis jobs on BullMQ 5: many workers on many hosts, locks renewed by a heartbeat, stalled jobs
 * moved back by BullMQ's stalled checker, retries with our backoff, failed jobs kept. No outbox:
 * Redis is not your database's transaction.
 *
 * @example
 * ```ts
 * import { createJobs, bullmqEngine } from "velox/jobs";
 * const jobs = createJobs({ engine: bullmqEngine({ url: process.env.REDIS_URL! }), jobs: [sendWelcome] });
 * ```
 */
export function bullmqEngine(options: BullMQEngineOptions): JobEngine {
  return new BullMQEngine(options);
}

class BullMQEngine implements JobEngine {
  readonly kind = "bullmq";
  readonly renewsLeases = true;
  private readonly connection: ConnectionOptions;
  private readonly prefix: string;
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Promise<Worker>>();
  private readonly wake = new EventEmitter();
  private module: Promise<typeof import("bullmq")> | null = null;
  private closed = false;

  constructor(private readonly options: BullMQEngineOptions) {
    if (!options || typeof options.url !== "string") throw new JobError("VX_JOB_INVALID_OPTION", "bullmqEngine() needs a url");
    this.connection = connectionOf(options.url);
    this.prefix = options.prefix ?? "velox";
    this.wake.setMaxListeners(0);
  }

  private load(): Promise<typeof import("bullmq")> {
    if (this.closed) return Promise.reject(new JobError("VX_JOB_CLOSED", "the BullMQ job engine is closed"));
    this.module ??= importOptionalPeer("bullmq", "bullmqEngine (velox/jobs)", () => import("bullmq"));
    return this.module;
  }

  private async queue(name: string): Promise<Queue> {
    const { Queue } = await this.load();
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      queue.on("error", () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** One manual-fetch BullMQ worker per job name; its lock duration is the lease. */
  private worker(name: string, leaseMs: number): Promise<Worker> {
    let worker = this.workers.get(name);
    if (!worker) {
      worker = (async () => {
        const { Worker } = await this.load();
        const w = new Worker(name, null, {
          connection: this.connection,
          prefix: this.prefix,
          autorun: false,
          lockDuration: leaseMs,
          stalledInterval: leaseMs,
          maxStalledCount: 1,
          settings: { backoffStrategy: veloxBackoff },
        });
        w.on("error", () => undefined);
        await w.startStalledCheckTimer();
        return w;
      })();
      this.workers.set(name, worker);
    }
    return worker;
  }

  async prepare(names: readonly string[]): Promise<void> {
    for (const name of names) await (await this.queue(name)).waitUntilReady();
  }

  async add(job: NewJob, transaction?: unknown): Promise<{ id: string; duplicate: boolean }> {
    if (transaction !== undefined) throw new JobError("VX_JOB_INVALID_OPTION", "BullMQ (Redis) cannot enqueue inside a database transaction; use pgBossEngine for the outbox pattern");
    const queue = await this.queue(job.name);
    const jobId = job.idempotencyKey === undefined ? undefined : `k-${createHash("sha256").update(job.idempotencyKey).digest("hex").slice(0, 40)}`;
    // BullMQ never adds a second job with an id it holds; the lookup only tells the caller which happened.
    if (jobId !== undefined && (await queue.getJob(jobId))) return { id: jobId, duplicate: true };
    const delay = Math.max(0, job.runAt - Date.now());
    const added = await queue.add(job.name, job.payload, {
      ...(jobId ? { jobId } : {}),
      delay,
      attempts: job.maxAttempts,
      backoff: { type: backoffType(job), delay: job.backoff.baseMs },
      removeOnComplete: { age: this.options.keepCompletedSeconds ?? 86_400 },
      removeOnFail: { count: this.options.keepFailed ?? 10_000 },
    });
    if (delay === 0) this.wake.emit("wake", job.name);
    return { id: added.id!, duplicate: false };
  }

  async claim(name: string, limit: number, options: ClaimOptions): Promise<ClaimedJob[]> {
    const worker = await this.worker(name, options.leaseMs);
    const claimed: Claimed[] = [];
    while (claimed.length < limit) {
      const token = randomUUID();
      const job = (await worker.getNextJob(token, { block: false })) as Job | undefined;
      if (!job) break;
      claimed.push({
        id: job.id!,
        name,
        payload: job.data,
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
        dueAt: job.timestamp + (job.opts.delay ?? 0),
        token,
        job,
      });
    }
    return claimed;
  }

  async renew(job: ClaimedJob, options: ClaimOptions): Promise<boolean> {
    const { job: bull, token } = job as Claimed;
    return (await bull.extendLock(token, options.leaseMs)) === 1;
  }

  async complete(job: ClaimedJob): Promise<void> {
    const { job: bull, token } = job as Claimed;
    await bull.moveToCompleted(null, token, false);
  }

  async fail(job: ClaimedJob, error: StoredError, final: boolean): Promise<void> {
    const { job: bull, token } = job as Claimed;
    const err = new Error(`${error.name}: ${error.message}`);
    // BullMQ skips the remaining attempts for an error of this name.
    if (final) err.name = "UnrecoverableError";
    if (error.stack) err.stack = error.stack;
    await bull.moveToFailed(err, token, false);
  }

  async release(job: ClaimedJob): Promise<void> {
    const { job: bull, token } = job as Claimed;
    await bull.moveToWait(token);
    this.wake.emit("wake", job.name);
  }

  async listFailed(options: { name?: string; limit?: number } = {}): Promise<FailedJob[]> {
    const limit = options.limit ?? 100;
    const names = options.name !== undefined ? [options.name] : [...this.queues.keys()];
    const out: FailedJob[] = [];
    for (const name of names) {
      if (!this.queues.has(name)) continue;
      for (const job of await (await this.queue(name)).getFailed(0, limit - 1)) {
        const reason = job.failedReason ?? "";
        const colon = reason.indexOf(": ");
        out.push({
          id: job.id!,
          name,
          payload: job.data,
          attempts: job.attemptsMade,
          error: colon > 0 ? { name: reason.slice(0, colon), message: reason.slice(colon + 2) } : { name: "Error", message: reason },
          failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
          createdAt: new Date(job.timestamp),
        });
      }
    }
    out.sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0));
    return out.slice(0, limit);
  }

  async retryFailed(id: string): Promise<string | null> {
    const { Job } = await this.load();
    for (const [name, queue] of this.queues) {
      const job = await Job.fromId(queue, id);
      if (job && (await job.isFailed())) {
        await job.retry("failed");
        this.wake.emit("wake", name);
        return name;
      }
    }
    return null;
  }

  onWake(listener: (name: string) => void): () => void {
    this.wake.on("wake", listener);
    return () => this.wake.off("wake", listener);
  }

  /** Removes every key of these queues (tests; an operator's reset). Never touches other prefixes. */
  async obliterate(): Promise<void> {
    for (const queue of this.queues.values()) await queue.obliterate({ force: true });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const workers = await Promise.all([...this.workers.values()].map((w) => w.catch(() => null)));
    await Promise.all(workers.map((w) => w?.close(true)));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
