import type { StandardSchemaV1 } from "@standard-schema/spec";
import { depends, type Dependency } from "../di/dependency.ts";
import { consoleLogger, type Logger } from "../logger.ts";
import { validatePayload, type EnqueueOptions, type EnqueueResult, type JobDefinition, type PayloadSchema } from "./define-job.ts";
import type { FailedJob, JobEngine } from "./engine.ts";
import { JobError } from "./errors.ts";
import type { JobEvent, JobInterceptor, JobListener } from "./events.ts";
import { installJobs, type InstallOptions } from "./install.ts";
import { JobWorker, type WorkerHost, type WorkerOptions } from "./worker.ts";
import type { Velox } from "../app.ts";

/** Options of {@link createJobs}. */
export interface JobsOptions {
  /** Where jobs live: `sqliteEngine(...)` (single node) or `pgBossEngine(...)`. */
  engine: JobEngine;
  /** Every job type this queue enqueues or runs. */
  jobs: readonly JobDefinition<any>[];
  /** Where job logs go (default: the app's logger once installed, else JSON lines on stderr). */
  logger?: Logger;
}

/** The enqueue function handlers and dependencies receive. */
export type Enqueue = <P extends PayloadSchema>(job: JobDefinition<P>, payload: StandardSchemaV1.InferInput<P>, options?: EnqueueOptions) => Promise<EnqueueResult>;

/**
 * A durable job queue: typed `enqueue`, workers, the dead-letter list and job events. Made by
 * {@link createJobs}.
 */
export class Jobs {
  readonly engine: JobEngine;
  readonly definitions: ReadonlyMap<string, JobDefinition<any>>;
  /** Handlers see this as `ctx.state`; `install(app)` makes it the app's state. */
  state: Record<string, any> = {};
  private loggerRef: Logger;
  private readonly listeners: JobListener[] = [];
  private readonly interceptorList: JobInterceptor[] = [];
  private prepared: Promise<void> | null = null;
  private readonly workers = new Set<JobWorker>();
  private closed = false;
  private dependencyRef: Dependency<Enqueue> | null = null;
  /** @internal Set by `velox worker`, which runs the worker itself: `install` must not start a second. */
  externallyRun = false;

  constructor(options: JobsOptions) {
    if (!options || typeof options.engine?.claim !== "function") throw new JobError("VX_JOB_INVALID_OPTION", "createJobs() needs an engine");
    this.engine = options.engine;
    const definitions = new Map<string, JobDefinition<any>>();
    for (const definition of options.jobs ?? []) {
      if (definitions.has(definition.name)) throw new JobError("VX_JOB_DUPLICATE", `two jobs are named "${definition.name}"`);
      definitions.set(definition.name, definition);
    }
    this.definitions = definitions;
    this.loggerRef = options.logger ?? consoleLogger();
  }

  get logger(): Logger {
    return this.loggerRef;
  }

  /** @internal Used by `install(app)` to log through the app's logger. */
  useLogger(logger: Logger): void {
    this.loggerRef = logger;
  }

  /** Creates the engine's storage once (tables, queues); `enqueue` and workers call it. */
  ready(): Promise<void> {
    if (this.closed) return Promise.reject(new JobError("VX_JOB_CLOSED", "the job queue is closed"));
    this.prepared ??= this.engine.prepare([...this.definitions.keys()]).catch((err: unknown) => {
      this.prepared = null;
      throw err;
    });
    return this.prepared;
  }

  /**
   * Validates the payload against the job's schema and stores the job; it runs at least once.
   * Rejects with `VX_JOB_INVALID_PAYLOAD` (nothing stored) or the engine's error.
   *
   * @example
   * ```ts
   * const { id, duplicate } = await jobs.enqueue(sendWelcome, { to: "ada@example.com", username: "ada" }, {
   *   idempotencyKey: `welcome:${user.id}`,
   *   delay: 5_000,
   * });
   * ```
   */
  readonly enqueue: Enqueue = async (job, payload, options = {}) => {
    const definition = this.definitions.get(job?.name);
    if (definition === undefined || definition !== job) {
      throw new JobError("VX_JOB_UNKNOWN", `job "${String(job?.name)}" is not one of this queue's jobs (add it to createJobs({ jobs }))`);
    }
    const delay = options.delay ?? 0;
    if (!Number.isFinite(delay) || delay < 0) throw new JobError("VX_JOB_INVALID_OPTION", `delay must be a finite number of ms ≥ 0, got ${String(options.delay)}`);
    const key = options.idempotencyKey;
    if (key !== undefined && (typeof key !== "string" || key.length === 0 || key.length > 200)) {
      throw new JobError("VX_JOB_INVALID_OPTION", "idempotencyKey must be a non-empty string of at most 200 characters");
    }
    await validatePayload(definition, payload);
    // The payload is stored as given (validated, JSON), and validated again when it runs.
    const stored = JSON.parse(JSON.stringify(payload ?? null)) as unknown;
    await this.ready();
    const result = await this.engine.add(
      { name: definition.name, payload: stored, runAt: Date.now() + delay, idempotencyKey: key, maxAttempts: definition.maxAttempts, backoff: definition.backoff, timeoutMs: definition.timeoutMs },
      options.transaction,
    );
    this.emit(() => ({ type: "enqueued", name: definition.name, id: result.id, engine: this.engine.kind, duplicate: result.duplicate, delayMs: delay }));
    return result;
  };

  /**
   * Wires the queue into an app: `ctx.state` is the app's state, logs go to the app's logger,
   * `velox worker` and `velox jobs` find the queue through the app, and a worker (with `worker:
   * true`, or under `velox run --jobs`) starts when the app is ready, stops claiming when
   * shutdown begins and drains (`drainMs`, default 10 s) before the lifespan's cleanup.
   *
   * @example
   * ```ts
   * const jobs = createJobs({ engine: sqliteEngine({ path: "data/app.db" }), jobs: [sendWelcome] });
   * jobs.install(app, { worker: process.env.NODE_ENV !== "test" });
   * ```
   */
  install(app: Velox, options: InstallOptions = {}): this {
    installJobs(this, app, options);
    return this;
  }

  /**
   * A dependency that injects this queue's typed `enqueue` into handlers and other dependencies
   * (one value for the app's life).
   *
   * @example
   * ```ts
   * app.post("/signup", { body: SignUp, deps: { enqueue: jobs.dependency } }, async ({ body, enqueue }) => {
   *   await enqueue(sendWelcome, { to: body.email, username: body.username });
   *   return { ok: true };
   * });
   * ```
   */
  get dependency(): Dependency<Enqueue> {
    this.dependencyRef ??= depends({ scope: "app" }, () => this.enqueue);
    return this.dependencyRef;
  }

  /**
   * Subscribes to job events (counters, durations, traces). Returns the unsubscribe function.
   *
   * @example
   * ```ts
   * const off = jobs.on((e) => { if (e.type === "failed" && !e.willRetry) alert(e); });
   * ```
   */
  on(listener: JobListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index !== -1) this.listeners.splice(index, 1);
    };
  }

  /**
   * Runs `interceptor` around every attempt (outermost first): tracing starts a span there.
   *
   * @example
   * ```ts
   * jobs.use(async (job, next) => { const t = performance.now(); await next(); console.log(job.name, performance.now() - t); });
   * ```
   */
  use(interceptor: JobInterceptor): this {
    this.interceptorList.push(interceptor);
    return this;
  }

  /** @internal */
  get interceptors(): readonly JobInterceptor[] {
    return this.interceptorList;
  }

  /** @internal Builds the event only when someone listens. */
  emit(make: () => JobEvent): void {
    if (this.listeners.length === 0) return;
    const event = make();
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error({ err, event: event.type }, "job event listener failed");
      }
    }
  }

  /**
   * Starts a worker in this process for every job (or `only` some). Stop it with `worker.stop()`
   * or `jobs.close()`, which drain.
   *
   * @example
   * ```ts
   * const worker = await jobs.startWorker({ leaseMs: 30_000 });
   * ```
   */
  async startWorker(options: WorkerOptions = {}): Promise<JobWorker> {
    const names = options.only ?? [...this.definitions.keys()];
    const selected = names.map((name) => {
      const definition = this.definitions.get(name);
      if (!definition) throw new JobError("VX_JOB_UNKNOWN", `no job named "${name}" to work on`);
      return definition;
    });
    const host: WorkerHost = {
      engine: this.engine,
      logger: this.logger,
      state: this.state,
      emit: (make) => this.emit(make),
      interceptors: this.interceptorList,
      enqueue: this.enqueue,
      ready: () => this.ready(),
    };
    const worker = new JobWorker(host, selected, options);
    await worker.start();
    this.workers.add(worker);
    return worker;
  }

  /**
   * The dead-letter list: jobs whose last attempt failed, newest first.
   *
   * @example
   * ```ts
   * for (const job of await jobs.listFailed({ name: "mail.welcome" })) console.log(job.id, job.error?.message);
   * ```
   */
  async listFailed(options: { name?: string; limit?: number } = {}): Promise<FailedJob[]> {
    await this.ready();
    return this.engine.listFailed(options);
  }

  /**
   * Puts a dead job back in the queue for one more attempt (after you fixed the cause). False
   * when no failed job has that id.
   *
   * @example
   * ```ts
   * await jobs.retryFailed(id);
   * ```
   */
  async retryFailed(id: string): Promise<boolean> {
    await this.ready();
    if (typeof id !== "string" || id.length === 0) return false;
    const name = await this.engine.retryFailed(id);
    if (name === null) return false;
    this.emit(() => ({ type: "retried", name, id, engine: this.engine.kind }));
    return true;
  }

  /** Drains this process's workers (`deadlineMs`, default 10 s), then closes the engine. Idempotent. */
  async close(options: { deadlineMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.workers].map((w) => w.stop(options)));
    this.workers.clear();
    await this.engine.close();
  }
}

/**
 * Creates a durable job queue on an engine.
 *
 * @example
 * ```ts
 * import { createJobs, sqliteEngine } from "velox/jobs";
 *
 * export const jobs = createJobs({ engine: sqliteEngine({ path: "data/app.db" }), jobs: [sendWelcome] });
 * await jobs.enqueue(sendWelcome, { to: "ada@example.com", username: "ada" });
 * ```
 */
export function createJobs(options: JobsOptions): Jobs {
  return new Jobs(options);
}
