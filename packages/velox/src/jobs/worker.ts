import type { Logger } from "../logger.ts";
import { validatePayload, type JobContext, type JobDefinition } from "./define-job.ts";
import type { ClaimedJob, JobEngine } from "./engine.ts";
import { JobError, PermanentJobError, storedError } from "./errors.ts";
import type { JobEvent, JobInterceptor } from "./events.ts";

/** What a worker needs from its queue (the `Jobs` object). */
export interface WorkerHost {
  readonly engine: JobEngine;
  readonly logger: Logger;
  readonly state: Record<string, any>;
  emit(make: () => JobEvent): void;
  readonly interceptors: readonly JobInterceptor[];
  readonly enqueue: JobContext["enqueue"];
  /** Ensures storage exists (idempotent). */
  ready(): Promise<void>;
}

/** Options of a worker. */
export interface WorkerOptions {
  /** Job names this worker runs (default: every job of the queue). */
  only?: readonly string[];
  /** How often an idle job type polls the engine (default 500 ms; local enqueues wake it at once). */
  pollMs?: number;
  /** Lease per claimed job: how long a crashed worker's job waits before another run (default 30 s). */
  leaseMs?: number;
}

interface Active {
  job: ClaimedJob;
  controller: AbortController;
  startedAt: number;
  /** The attempt is recorded (completed, failed, released or lost): nothing more to write. */
  settled: boolean;
  /** The handler returned and its outcome is written (a timed-out handler may run on after its attempt failed). */
  finished: Promise<void>;
  stopHeartbeat?: () => void;
}

const sleepUnlessWoken = (ms: number, wake: { resolve?: () => void }): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      wake.resolve = undefined;
      resolve();
    }
    wake.resolve = done;
  });

function childLogger(logger: Logger, fields: Record<string, unknown>): Logger {
  const child = (logger as { child?: (bindings: Record<string, unknown>) => Logger }).child;
  return typeof child === "function" ? child.call(logger, fields) : logger;
}

/**
 * Runs jobs: one pull loop per job type, at most `concurrency` attempts of that type at once,
 * each with its timeout, lease heartbeat (engines that renew) and exactly one settle. `stop()`
 * drains: no new claims, running attempts may finish until the deadline, the rest are released.
 *
 * @example
 * ```ts
 * const worker = jobs.startWorker({ pollMs: 250 });
 * process.once("SIGTERM", () => void worker.stop({ deadlineMs: 20_000 }));
 * ```
 */
export class JobWorker {
  private readonly active = new Set<Active>();
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Map<string, { resolve?: () => void }>();
  private stopping = false;
  private stopped: Promise<{ released: number }> | null = null;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly host: WorkerHost,
    private readonly definitions: readonly JobDefinition[],
    options: WorkerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 500;
    this.leaseMs = options.leaseMs ?? 30_000;
    if (!(this.pollMs > 0) || !(this.leaseMs >= 100)) throw new JobError("VX_JOB_INVALID_OPTION", "worker needs pollMs > 0 and leaseMs ≥ 100");
  }

  /** Starts the loops (after the engine's storage is ready). */
  async start(): Promise<void> {
    await this.host.ready();
    this.unsubscribe = this.host.engine.onWake?.((name) => this.wakers.get(name)?.resolve?.());
    for (const definition of this.definitions) {
      const wake = {};
      this.wakers.set(definition.name, wake);
      this.loops.push(this.loop(definition, wake));
    }
    this.host.logger.info({ jobs: this.definitions.map((d) => d.name), engine: this.host.engine.kind }, "job worker started");
  }

  /** Attempts running now. */
  get running(): number {
    return this.active.size;
  }

  private async loop(definition: JobDefinition, wake: { resolve?: () => void }): Promise<void> {
    let running = 0;
    let errorDelay = this.pollMs;
    while (!this.stopping) {
      const free = definition.concurrency - running;
      let claimed: ClaimedJob[] = [];
      if (free > 0) {
        try {
          claimed = await this.host.engine.claim(definition.name, free, { leaseMs: this.leaseMs });
          errorDelay = this.pollMs;
        } catch (err) {
          this.host.logger.error({ err, job: definition.name, engine: this.host.engine.kind }, "job claim failed; retrying");
          await sleepUnlessWoken(errorDelay, {});
          errorDelay = Math.min(errorDelay * 2, 10_000);
          continue;
        }
      }
      for (const job of claimed) {
        if (this.stopping) {
          await this.host.engine.release(job).catch((err: unknown) => this.host.logger.error({ err, job: job.name, id: job.id }, "job release failed"));
          continue;
        }
        running++;
        void this.attempt(definition, job).finally(() => {
          running--;
          wake.resolve?.();
        });
      }
      if (this.stopping) break;
      // A full batch means more may be due: claim again at once; otherwise sleep until woken.
      if (free > 0 && claimed.length === free) continue;
      await sleepUnlessWoken(this.pollMs, wake);
    }
  }

  /** Runs one attempt; resolves when the handler has returned (not merely when the attempt settled). */
  private attempt(definition: JobDefinition, job: ClaimedJob): Promise<void> {
    const { host } = this;
    const engine = host.engine;
    const controller = new AbortController();
    const startedAt = Date.now();
    let resolveFinished: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      resolveFinished = resolve;
    });
    const entry: Active = { job, controller, startedAt, settled: false, finished };
    this.active.add(entry);
    host.emit(() => ({ type: "started", name: job.name, id: job.id, engine: engine.kind, attempt: job.attempt, waitMs: Math.max(0, startedAt - job.dueAt) }));
    const log = childLogger(host.logger, { job: job.name, jobId: job.id, attempt: job.attempt });

    let heartbeat: NodeJS.Timeout | undefined;
    const stopHeartbeat = (): void => {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = undefined;
    };
    if (engine.renewsLeases && engine.renew) {
      const renew = engine.renew.bind(engine);
      heartbeat = setInterval(() => {
        void renew(job, { leaseMs: this.leaseMs }).then(
          (ok) => {
            if (ok || entry.settled) return;
            entry.settled = true;
            stopHeartbeat();
            log.error({ engine: engine.kind }, "job lease lost; abandoning this attempt");
            controller.abort(new JobError("VX_JOB_LEASE_LOST", `job "${job.name}" ${job.id}: lease lost`));
          },
          (err: unknown) => log.warn({ err }, "job lease renewal failed"),
        );
      }, Math.max(50, Math.floor(this.leaseMs / 3)));
    }
    entry.stopHeartbeat = stopHeartbeat;

    const settle = async (outcome: { ok: true } | { ok: false; error: unknown }): Promise<void> => {
      if (entry.settled) return;
      entry.settled = true;
      stopHeartbeat();
      const durationMs = Date.now() - startedAt;
      try {
        if (outcome.ok) {
          await engine.complete(job);
          host.emit(() => ({ type: "completed", name: job.name, id: job.id, engine: engine.kind, attempt: job.attempt, durationMs }));
          return;
        }
        const error = storedError(outcome.error);
        const permanent = outcome.error instanceof PermanentJobError || (outcome.error instanceof JobError && outcome.error.code === "VX_JOB_INVALID_PAYLOAD");
        const willRetry = !permanent && job.attempt < job.maxAttempts;
        await engine.fail(job, error, !willRetry);
        host.emit(() => ({ type: "failed", name: job.name, id: job.id, engine: engine.kind, attempt: job.attempt, durationMs, error, willRetry }));
        const fields = { err: outcome.error, maxAttempts: job.maxAttempts, durationMs };
        if (willRetry) log.warn(fields, "job attempt failed; will retry");
        else log.error(fields, "job failed for good; kept in the dead-letter list");
      } catch (err) {
        log.error({ err }, "could not record the job's outcome; its lease will expire and it runs again");
      }
    };

    const ctx: JobContext = {
      id: job.id,
      name: job.name,
      attempt: job.attempt,
      maxAttempts: job.maxAttempts,
      signal: controller.signal,
      log,
      state: host.state,
      enqueue: host.enqueue,
    };

    const run = async (): Promise<void> => {
      const payload = await validatePayload(definition, job.payload);
      const call = async (): Promise<void> => {
        await definition.handler(payload, ctx);
      };
      const chain = host.interceptors.reduceRight<() => Promise<void>>(
        (next, interceptor) => () => interceptor({ name: job.name, id: job.id, attempt: job.attempt, engine: engine.kind }, next),
        call,
      );
      await chain();
    };

    const handler = run();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new JobError("VX_JOB_TIMEOUT", `job "${job.name}" ran past its ${definition.timeoutMs} ms timeout`);
        controller.abort(error);
        reject(error);
      }, definition.timeoutMs);
    });
    const recorded = Promise.race([handler, timeout]).then(
      () => settle({ ok: true }),
      (error: unknown) => settle({ ok: false, error }),
    );
    // The slot stays taken until the handler returns (even after a timeout failed the attempt)
    // and its outcome is written, so a drain never closes the engine under a pending write.
    return Promise.allSettled([handler, recorded]).then(() => {
      clearTimeout(timer);
      this.active.delete(entry);
      resolveFinished();
    });
  }

  /**
   * Drains: claims stop at once; attempts running may finish until `deadlineMs` from now; the
   * ones still running then are aborted (their `signal`) and released back to the engine
   * without counting the attempt. Resolves with how many were released. Idempotent.
   */
  stop(options: { deadlineMs?: number } = {}): Promise<{ released: number }> {
    this.stopped ??= (async () => {
      this.stopping = true;
      for (const wake of this.wakers.values()) wake.resolve?.();
      this.unsubscribe?.();
      await Promise.all(this.loops);
      const deadline = options.deadlineMs ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      const all = Promise.all([...this.active].map((a) => a.finished)).then(() => true);
      const late = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), deadline);
      });
      const clean = await Promise.race([all, late]);
      clearTimeout(timer);
      let released = 0;
      if (!clean) {
        for (const entry of this.active) {
          if (entry.settled) continue;
          entry.settled = true;
          entry.stopHeartbeat?.();
          entry.controller.abort(new JobError("VX_JOB_CLOSED", "worker shutting down"));
          const job = entry.job;
          try {
            await this.host.engine.release(job);
            released++;
            this.host.emit(() => ({ type: "released", name: job.name, id: job.id, engine: this.host.engine.kind, attempt: job.attempt, durationMs: Date.now() - entry.startedAt }));
            this.host.logger.warn({ job: job.name, jobId: job.id }, "job released at the drain deadline; it will run again");
          } catch (err) {
            this.host.logger.error({ err, job: job.name, jobId: job.id }, "job release failed; its lease will expire");
          }
        }
      }
      this.host.logger.info({ released }, "job worker stopped");
      return { released };
    })();
    return this.stopped;
  }
}
