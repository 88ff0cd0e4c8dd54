import type { Logger } from "./logger.ts";

type Task = { fn: (...args: any[]) => unknown; args: unknown[] };

/**
 * Work to run after the response is sent, in the order added (FastAPI's `BackgroundTasks`).
 * A failing task is logged with the request id and counted; it never crashes the process or
 * stops the tasks after it.
 *
 * @example
 * ```ts
 * app.post("/signup", { body: SignUp }, ({ body, background }) => {
 *   background.add(sendWelcomeMail, body.email);
 *   return { ok: true };
 * });
 * ```
 */
export class BackgroundTasks {
  /** @internal */
  readonly tasks: Task[] = [];

  /** Queues `fn(...args)` to run after the response. */
  add<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    this.tasks.push({ fn: fn as Task["fn"], args });
  }

  get size(): number {
    return this.tasks.length;
  }
}

/** Tracks running background work across requests so shutdown can wait for it. */
export class BackgroundRunner {
  private readonly pending = new Set<Promise<void>>();
  failures = 0;
  completed = 0;

  constructor(private readonly logger: () => Logger) {}

  /** Runs the queued tasks one after another. */
  run(tasks: BackgroundTasks, requestId: () => string): void {
    const job = (async () => {
      for (const task of tasks.tasks) {
        try {
          await task.fn(...task.args);
          this.completed++;
        } catch (err) {
          this.failures++;
          this.logger().error({ err, requestId: requestId(), task: task.fn.name || "anonymous" }, "background task failed");
        }
      }
    })();
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }

  get size(): number {
    return this.pending.size;
  }

  /** Waits for running tasks, at most `timeoutMs`; true when all finished in time. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.pending.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    const all = Promise.allSettled([...this.pending]).then(() => true as const);
    const done = await Promise.race([all, timeout]);
    clearTimeout(timer);
    return done;
  }
}
