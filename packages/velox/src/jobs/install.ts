import type { Velox } from "../app.ts";
import type { Jobs } from "./jobs.ts";
import { registerJobs } from "./registry.ts";
import type { JobWorker, WorkerOptions } from "./worker.ts";

/** Options of `jobs.install(app)`. */
export interface InstallOptions {
  /**
   * Run a worker in this process while the app runs. Default: only under `velox run --jobs`
   * (`VELOX_JOBS_WORKER=1`); `velox worker` runs its own.
   */
  worker?: boolean;
  /** Options of that worker (poll interval, lease, job names). */
  workerOptions?: WorkerOptions;
  /** At shutdown, how long running attempts may finish before they are released (default 10 s). */
  drainMs?: number;
}

/**
 * Wires a job queue into an app: handlers see `app.state` as `ctx.state`, logs go to the app's
 * logger, the CLI finds the queue through the app, and — when a worker runs in this process —
 * it starts after the app is ready (`onReady`), stops claiming when shutdown begins (`preClose`)
 * and has drained before the lifespan's cleanup closes what the handlers use (`onClose`).
 * @internal Called as `jobs.install(app, options)`.
 */
export function installJobs(jobs: Jobs, app: Velox, options: InstallOptions): void {
  registerJobs(app, jobs);
  jobs.state = app.state;
  jobs.useLogger(app.logger);
  let worker: Promise<JobWorker> | null = null;
  let stopping: Promise<unknown> | null = null;
  const drainMs = options.drainMs ?? 10_000;
  app.addHook("onReady", async () => {
    const wanted = options.worker ?? process.env.VELOX_JOBS_WORKER === "1";
    if (!wanted || jobs.externallyRun) return;
    worker = jobs.startWorker(options.workerOptions);
    await worker;
  });
  app.addHook("preClose", () => {
    // Stop claiming now, without holding up the HTTP drain; onClose waits for the rest.
    if (worker) stopping = worker.then((w) => w.stop({ deadlineMs: drainMs }));
  });
  app.addHook("onClose", async () => {
    await stopping?.catch((err: unknown) => app.logger.error({ err }, "job worker failed to stop"));
    await jobs.close({ deadlineMs: drainMs });
  });
}
