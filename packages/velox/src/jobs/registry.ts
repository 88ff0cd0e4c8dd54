import type { Jobs } from "./jobs.ts";

const installed = new WeakMap<object, Jobs>();

/** @internal Records that `jobs` belongs to `app` (`jobs.install(app)`). */
export function registerJobs(app: object, jobs: Jobs): void {
  installed.set(app, jobs);
}

/**
 * The job queue installed in an app with `jobs.install(app)`, or undefined. The CLI uses it to
 * find the worker's jobs in the module it loads.
 *
 * @example
 * ```ts
 * const jobs = jobsOf(app);
 * if (jobs) console.log([...jobs.definitions.keys()]);
 * ```
 */
export function jobsOf(app: object): Jobs | undefined {
  return installed.get(app);
}
