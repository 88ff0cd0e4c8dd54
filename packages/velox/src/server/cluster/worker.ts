import { randomInt } from "node:crypto";
import type { ResolvedServeOptions } from "../options.ts";
import { installExitHandlers, type BeginExit } from "../process-exit.ts";
import type { ServableApp } from "../running-server.ts";
import { startRunning, type Running } from "../start-running.ts";
import { acceptFromPrimary } from "./accept.ts";
import { isVeloxMessage, PORT_ENV, type PrimaryMessage, type WorkerMessage } from "./messages.ts";

function send(message: WorkerMessage): void {
  if (process.connected) process.send?.(message);
}

/** This worker's request budget: the maximum plus a random share of the jitter. */
function requestBudget(options: ResolvedServeOptions): number {
  if (options.maxRequestsPerWorker === 0) return 0;
  return options.maxRequestsPerWorker + (options.maxRequestsJitter > 0 ? randomInt(options.maxRequestsJitter + 1) : 0);
}

/**
 * The worker side of the cluster: serves the app on the connections the primary accepts and hands
 * over (on Bun: on the port, bound with reusePort), tells the primary when it is ready and when
 * its request budget is spent, and drains on the primary's `shutdown` message or its own
 * signals. It always exits at the end of a shutdown.
 *
 * @example
 * ```ts
 * if (process.env.VELOX_WORKER) await runWorker(app, resolved);
 * ```
 */
export async function runWorker(app: ServableApp, options: ResolvedServeOptions): Promise<Running> {
  let begin: BeginExit | null = null;
  let pendingShutdown: string | null = null;
  process.on("message", (message) => {
    if (!isVeloxMessage<PrimaryMessage>(message, "shutdown")) return;
    if (begin !== null) begin(message.reason, 0);
    else pendingShutdown = message.reason;
  });
  // A terminal's SIGHUP reaches the whole process group: the primary reloads, workers carry on.
  process.on("SIGHUP", () => {});

  const port = Number(process.env[PORT_ENV] ?? options.port);
  const budget = requestBudget(options);
  let running: Running | null = null;
  // On Bun every worker binds the port itself with reusePort; on node the primary accepts the
  // connections and hands them over (`attach`, which Bun's server does not use).
  running = await startRunning(app, { ...options, port }, {
    attach: acceptFromPrimary,
    maxRequests: budget,
    onMaxRequests: () => {
      options.logger.info({ pid: process.pid, requests: budget }, "request budget spent, asking for a replacement");
      send({ velox: "recycle", requests: budget });
    },
  }, true);
  const server = running;
  begin = installExitHandlers({
    shutdown: (reason) => server.shutdown(reason),
    logger: options.logger,
    shutdownTimeoutMs: options.shutdownTimeoutMs,
    uncaught: true,
  });
  send({ velox: "ready", port: server.port, pid: process.pid });
  if (pendingShutdown !== null) begin(pendingShutdown, 0);
  return server;
}
