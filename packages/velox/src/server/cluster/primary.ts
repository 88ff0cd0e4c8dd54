import { constants } from "node:os";
import type { ResolvedServeOptions } from "../options.ts";
import type { ServerHandle } from "../server-handle.ts";
import { formatUrl } from "../server-handle.ts";
import { bunRuntime } from "../../runtime/bun/bun-types.ts";
import { ConnectionDispatcher } from "./dispatcher.ts";
import { ClusterHub } from "./hub.ts";
import { resolvePort } from "./resolve-port.ts";
import { Supervisor } from "./supervisor.ts";

/** Extra time past the shutdown deadline before the primary kills what is left and exits. */
const PRIMARY_GRACE_MS = 6_000;

function installPrimarySignals(supervisor: Supervisor, options: ResolvedServeOptions): void {
  const { logger } = options;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (supervisor.isStopping) {
      logger.warn({ signal }, "second signal, killing workers and exiting now");
      supervisor.killAll();
      process.exit(128 + (constants.signals[signal] ?? 0));
    }
    setTimeout(() => {
      logger.error({}, "workers outlived the shutdown deadline, killing them");
      supervisor.killAll();
      process.exit(1);
    }, options.shutdownTimeoutMs + PRIMARY_GRACE_MS).unref();
    void supervisor.stop(signal, 0);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  process.on("SIGHUP", () => void supervisor.reload());
  void supervisor.closed.then((code) => process.exit(code));
}

/**
 * Runs this process as the cluster primary: listens (a port in use fails before any worker
 * starts), forks the workers, hands them the connections and supervises them. On Bun the workers
 * bind the port themselves with reusePort. The primary never imports or starts the app itself;
 * each worker does.
 *
 * @example
 * ```ts
 * const handle = await startPrimary(resolveServeOptions({ workers: 4 }, consoleLogger()));
 * console.log(handle.url);
 * ```
 */
export async function startPrimary(options: ResolvedServeOptions): Promise<ServerHandle> {
  // On Bun each worker binds the port itself (reusePort): the primary only checks it is free.
  const dispatcher = bunRuntime() === undefined ? new ConnectionDispatcher() : null;
  const port = dispatcher === null ? await resolvePort(options.host, options.port) : await dispatcher.listen(options.host, options.port, options.backlog);
  const supervisor = new Supervisor(options, port, dispatcher);
  const hub = new ClusterHub(options.logger);
  supervisor.observe(hub);
  void supervisor.closed.then(() => hub.close());
  if (options.handleSignals) installPrimarySignals(supervisor, options);
  await supervisor.start();
  const url = formatUrl(options.host, port);
  options.logger.info({ url, workers: options.workers, pid: process.pid }, `velox listening on ${url}`);
  let metricsUrl: string | null = null;
  if (options.metricsPort !== undefined) {
    metricsUrl = `${formatUrl(options.host, await hub.listen(options.host, options.metricsPort, options.metricsTimeoutMs))}/metrics`;
    options.logger.info({ url: metricsUrl }, `cluster metrics on ${metricsUrl}`);
  }
  return {
    role: "primary",
    url,
    host: options.host,
    port,
    server: null,
    get draining() {
      return supervisor.isStopping;
    },
    get workerPids() {
      return supervisor.pids;
    },
    metricsUrl,
    closed: supervisor.closed,
    shutdown: async () => {
      await supervisor.stop("shutdown", 0);
    },
  };
}
