import type { LoadShedder } from "../../server/load-shedder.ts";
import type { ResolvedServeOptions } from "../../server/options.ts";
import { serverLoadShedder, serverProbes } from "../../server/server-parts.ts";
import type { RunHooks, ServableApp } from "../../server/running-server.ts";
import { formatUrl } from "../../server/server-handle.ts";
import type { BunGlobal, BunServer } from "./bun-types.ts";
import type { IncomingMessage } from "node:http";
import { upgradeRefusal } from "../../upgrade.ts";
import { BunRequestGate } from "./bun-request-gate.ts";
import { bunWebSocketHandlers, type BunPublisher } from "./bun-web-socket.ts";
import { BunRequestView } from "./request-view.ts";
import { BunResponseSink } from "./response-sink.ts";

const FALLBACK = '{"detail":"Internal Server Error"}';

/**
 * One process's `Bun.serve` around an app, with the same gate as on node: `/health` and `/ready`,
 * the concurrency limit, load shedding, request counting, and a graceful `shutdown` (readiness
 * 503 at once, `Connection: close` on what is in flight, no new connections, in-flight requests
 * finish, `preClose` and `app.close()` within the deadline). Requests reach the app's compiled
 * route plans through a lazy request view and a response sink that builds the `Response`.
 *
 * @example
 * ```ts
 * const running = await RunningBunServer.start(Bun, app, resolveServeOptions({ port: 0 }, app.logger));
 * await running.shutdown("test");
 * ```
 */
export class RunningBunServer {
  readonly gate: BunRequestGate;
  readonly shedder: LoadShedder;
  /** Bun's server (the node `Server` slot of a handle stays null on Bun). */
  bunServer!: BunServer;
  readonly server = null;
  host = "";
  port = 0;
  private closing: Promise<boolean> | null = null;

  private constructor(
    private readonly bun: BunGlobal,
    private readonly app: ServableApp,
    private readonly options: ResolvedServeOptions,
    hooks: RunHooks,
  ) {
    this.shedder = serverLoadShedder(options);
    const probes = serverProbes(options, () => this.gate.isDraining);
    this.gate = new BunRequestGate(
      app.handler as never,
      { limitConcurrency: options.limitConcurrency, retryAfter: options.retryAfter, maxRequests: hooks.maxRequests ?? 0, onMaxRequests: hooks.onMaxRequests },
      probes,
      this.shedder.enabled ? this.shedder : null,
    );
  }

  /** Runs the app's startup, then listens with `Bun.serve` (`reusePort` so workers can share the port). */
  static async start(bun: BunGlobal, app: ServableApp, options: ResolvedServeOptions, hooks: RunHooks = {}, reusePort = false): Promise<RunningBunServer> {
    await app.ready();
    const running = new RunningBunServer(bun, app, options, hooks);
    try {
      running.listen(reusePort);
    } catch (err) {
      await app.close({ timeoutMs: options.shutdownTimeoutMs }).catch(() => {});
      throw err;
    }
    running.shedder.start();
    return running;
  }

  private listen(reusePort: boolean): void {
    const gate = this.gate;
    const handler = gate.bunHandler;
    const logger = this.options.logger;
    const socketLimits = this.app.fetchUpgradeLimits ?? null;
    const fetch = (request: Request, server: BunServer) => {
      const req = new BunRequestView(request, server);
      const res = new BunResponseSink(req, gate);
      handler(req, res);
      return res.response ?? res.whenReady();
    };
    this.bunServer = this.bun.serve({
      port: this.options.port,
      hostname: this.options.host,
      reusePort,
      // Velox enforces each route's body limit itself, as it streams; Bun's own cap stays out of the way.
      maxRequestBodySize: 2 ** 40,
      idleTimeout: Math.max(1, Math.min(255, Math.ceil(this.options.keepAliveTimeout / 1000))),
      // Only an app with WebSocket routes pays for looking at the Upgrade header.
      fetch: socketLimits === null ? fetch : (request, server) => (request.headers.get("upgrade") === null ? fetch(request, server) : this.upgrade(request, server)),
      ...(socketLimits === null ? {} : { websocket: bunWebSocketHandlers(socketLimits) }),
      error(err) {
        logger.error({ err }, "request failed outside the app");
        return new Response(FALLBACK, { status: 500, headers: { "content-type": "application/json" } });
      },
    });
    this.host = this.bunServer.hostname;
    this.port = this.bunServer.port;
  }

  /** An upgrade request: refused while draining, as on node; else the app's engine takes it. */
  private upgrade(request: Request, server: BunServer): Response | undefined | Promise<Response | undefined> {
    if (this.gate.isDraining) return upgradeRefusal(503, { "retry-after": String(this.options.retryAfter) });
    const req = new BunRequestView(request, server) as unknown as IncomingMessage;
    return this.app.fetchUpgrade!({
      req,
      signal: request.signal,
      server: server as unknown as BunPublisher,
      accept: (socket, headers) => server.upgrade!(request, { data: socket, ...(headers ? { headers } : {}) }),
    });
  }

  get url(): string {
    return formatUrl(this.host, this.port);
  }

  get draining(): boolean {
    return this.gate.isDraining;
  }

  /** Graceful shutdown (see the class); idempotent; true when everything finished in time. */
  shutdown(reason: string): Promise<boolean> {
    this.closing ??= this.drainAndClose(reason);
    return this.closing;
  }

  private async drainAndClose(reason: string): Promise<boolean> {
    const logger = this.options.logger;
    const timeout = this.options.shutdownTimeoutMs;
    const deadline = Date.now() + timeout;
    logger.info({ reason, inFlight: this.gate.inFlight, pid: process.pid }, "shutting down: draining requests");
    this.gate.startDraining();
    const preClosing = this.app.preClose?.().catch((err: unknown) => logger.error({ err }, "preClose failed"));
    // Stops accepting connections; requests in flight carry on (Bun answers them before closing).
    void this.bunServer.stop(false);
    const reserve = Math.min(2_000, Math.floor(timeout / 5));
    let drained = true;
    while (this.gate.inFlight > 0) {
      if (Date.now() >= deadline - reserve) {
        drained = false;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    if (!drained) {
      logger.warn({ pid: process.pid, inFlight: this.gate.inFlight }, "drain deadline passed, connections cut");
      await this.bunServer.stop(true);
    }
    this.shedder.stop();
    if (preClosing !== undefined) await preClosing;
    let closed = true;
    try {
      await this.app.close({ timeoutMs: Math.max(0, deadline - Date.now()) });
    } catch (err) {
      closed = false;
      logger.error({ err }, "app cleanup failed");
    }
    logger.info({ pid: process.pid, clean: drained && closed }, "shutdown complete");
    return drained && closed;
  }
}
