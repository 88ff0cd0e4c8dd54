import cluster from "node:cluster";
import { startPrimary } from "./cluster/primary.ts";
import { WORKER_ENV } from "./cluster/messages.ts";
import { runWorker } from "./cluster/worker.ts";
import { resolveServeOptions, type ResolvedServeOptions, type ServeOptions } from "./options.ts";
import { installExitHandlers } from "./process-exit.ts";
import type { ServableApp } from "./running-server.ts";
import type { ServerHandle } from "./server-handle.ts";
import { startRunning, type Running } from "./start-running.ts";

function handleOf(running: Running, role: "single" | "worker", closed: Promise<number>, shutdown: (reason: string) => Promise<boolean>): ServerHandle {
  return {
    role,
    get url() {
      return running.url;
    },
    host: running.host,
    port: running.port,
    server: running.server,
    get draining() {
      return running.draining;
    },
    workerPids: [],
    closed,
    shutdown: async () => {
      await shutdown("shutdown");
    },
  };
}

async function runSingle(app: ServableApp, options: ResolvedServeOptions): Promise<ServerHandle> {
  const running = await startRunning(app, options, {}, false);
  let closedWith: (code: number) => void = () => {};
  const closed = new Promise<number>((resolve) => {
    closedWith = resolve;
  });
  const shutdown = (reason: string): Promise<boolean> => {
    const done = running.shutdown(reason);
    void done.then((clean) => closedWith(clean ? 0 : 1));
    return done;
  };
  if (options.handleSignals) {
    installExitHandlers({ shutdown, logger: options.logger, shutdownTimeoutMs: options.shutdownTimeoutMs, uncaught: true });
  }
  options.logger.info({ url: running.url, pid: process.pid }, `velox listening on ${running.url}`);
  return handleOf(running, "single", closed, shutdown);
}

/**
 * Serves a Velox app in production: node's HTTP server with limits and timeouts, `/health` and
 * `/ready` probes, a concurrency limit and load shedding (503 with `Retry-After`), trusted-proxy
 * handling, graceful shutdown on SIGTERM/SIGINT, and `workers` processes under a `node:cluster`
 * primary that replaces crashed workers, recycles them after `maxRequestsPerWorker` and reloads
 * them one by one on SIGHUP.
 *
 * The same script runs in the primary and in every worker: in the primary `serve()` forks the
 * workers and never starts the app (no lifespan, no pools there); in a worker, and with
 * `workers: 0`, it starts the app and listens.
 *
 * @example
 * ```ts
 * import { serve } from "velox/server";
 * import { app } from "./app.ts";
 *
 * await serve(app, { host: "0.0.0.0", port: 8000, workers: 4, shutdownTimeoutMs: 20_000 });
 * ```
 */
export async function serve(app: ServableApp, options: ServeOptions = {}): Promise<ServerHandle> {
  const resolved = resolveServeOptions(options, app.logger);
  if (cluster.isWorker && process.env[WORKER_ENV] === "1") {
    const running = await runWorker(app, resolved);
    return handleOf(running, "worker", new Promise<number>(() => {}), (reason) => running.shutdown(reason));
  }
  // Inside someone else's cluster worker, this process is one server, not a second primary.
  if (resolved.workers === 0 || cluster.isWorker) return runSingle(app, resolved);
  return startPrimary(resolved);
}
