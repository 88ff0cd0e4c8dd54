import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { installExitHandlers } from "../server/process-exit.ts";
import { ServeError } from "../server/serve-error.ts";
import { splitModuleSpec } from "../server/cli/load-app.ts";
import type { WorkerFlags } from "../server/cli/args.ts";
import { Jobs } from "./jobs.ts";
import { jobsOf } from "./registry.ts";

interface AppLike {
  ready(): Promise<void>;
  close(options?: { timeoutMs?: number }): Promise<void>;
}

function isApp(value: unknown): value is AppLike {
  const app = value as Partial<AppLike> | null;
  return typeof app === "object" && app !== null && typeof app.ready === "function" && typeof app.close === "function" && "handler" in app;
}

/**
 * Finds the job queue of a module: the export named after ":", else `jobs`, else the default
 * export, else `app` — a `Jobs` object, or an app with one installed (`jobs.install(app)`).
 */
export async function loadJobs(spec: string, cwd: string): Promise<{ jobs: Jobs; app: AppLike | null }> {
  const { file, exportName } = splitModuleSpec(spec);
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new ServeError("VX_APP_NOT_FOUND", `no such module: ${path}`);
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const names = exportName !== null ? [exportName] : ["jobs", "default", "app"];
  const apps = Object.values(module).filter(isApp);
  for (const name of names) {
    const value = module[name];
    if (value instanceof Jobs) return { jobs: value, app: apps.find((a) => jobsOf(a) === value) ?? null };
    if (isApp(value) && jobsOf(value)) return { jobs: jobsOf(value)!, app: value };
  }
  const wanted = exportName !== null ? `an export named "${exportName}"` : `an export "jobs", a default export or an export "app"`;
  throw new ServeError("VX_APP_NOT_FOUND", `${file} has no job queue: expected ${wanted} that is a createJobs() queue or an app with jobs.install(app)`);
}

/**
 * `velox worker <module>`: starts the app's lifespan (when the queue belongs to an app) so
 * handlers find `ctx.state`, runs the worker, and on SIGTERM/SIGINT drains it within the
 * deadline (running jobs finish or are released), then closes the app and the engine.
 */
export async function runWorkerCommand(spec: string, flags: WorkerFlags, cwd = process.cwd()): Promise<undefined> {
  const { jobs, app } = await loadJobs(spec, cwd);
  jobs.externallyRun = true;
  if (app) await app.ready();
  const shutdownTimeoutMs = flags.shutdownTimeoutMs ?? 25_000;
  const worker = await jobs.startWorker({
    ...(flags.only ? { only: flags.only } : {}),
    ...(flags.leaseMs !== undefined ? { leaseMs: flags.leaseMs } : {}),
    ...(flags.pollMs !== undefined ? { pollMs: flags.pollMs } : {}),
  });
  const logger = jobs.logger;
  installExitHandlers({
    logger,
    // The drain gets most of the deadline; the rest is for closing the app and the engine.
    shutdownTimeoutMs: shutdownTimeoutMs + 5_000,
    uncaught: true,
    shutdown: async (reason) => {
      logger.info({ reason, pid: process.pid }, "job worker draining");
      await worker.stop({ deadlineMs: shutdownTimeoutMs });
      if (app) await app.close({ timeoutMs: 5_000 });
      await jobs.close({ deadlineMs: 1_000 });
      return true;
    },
  });
  logger.info({ pid: process.pid, jobs: flags.only ?? [...jobs.definitions.keys()] }, "velox worker running");
  return undefined;
}

/** `velox jobs failed|retry <module>`: lists dead-lettered jobs as JSON lines, or retries them. */
export async function jobsAdminCommand(
  action: "failed" | "retry",
  spec: string,
  ids: readonly string[],
  filter: { name?: string; limit?: number },
  out: (line: string) => void,
  cwd = process.cwd(),
): Promise<number> {
  const { jobs } = await loadJobs(spec, cwd);
  try {
    if (action === "failed") {
      for (const job of await jobs.listFailed(filter)) out(JSON.stringify(job));
      return 0;
    }
    let missing = 0;
    for (const id of ids) {
      const ok = await jobs.retryFailed(id);
      out(JSON.stringify({ id, retried: ok }));
      if (!ok) missing++;
    }
    return missing === 0 ? 0 : 1;
  } finally {
    await jobs.close({ deadlineMs: 0 });
  }
}
