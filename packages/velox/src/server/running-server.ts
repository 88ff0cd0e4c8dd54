import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { rejectUpgrade, type FetchUpgradeEntry, type FetchUpgradeHandler } from "../upgrade.ts";
import type { Logger } from "../logger.ts";
import { createClientErrorHandler } from "./client-error.ts";
import { ConnectionTracker } from "./connections.ts";
import { drainServer } from "./drain.ts";
import { RequestGate } from "./gate.ts";
import { createLimitedServer } from "./http-server.ts";
import { refusedHead } from "./request-head.ts";
import type { LoadShedder } from "./load-shedder.ts";
import type { ResolvedServeOptions } from "./options.ts";
import { serverLoadShedder, serverProbes } from "./server-parts.ts";
import { formatUrl } from "./server-handle.ts";
import { compileTrust } from "./trust-proxy.ts";

/**
 * What `serve()` needs from an app: a node request listener, startup and shutdown hooks, a
 * logger and (optionally) the count of pending background jobs. `Velox` apps have all of it.
 *
 * @example
 * ```ts
 * const app: ServableApp = new Velox();
 * await serve(app, { workers: 0 });
 * ```
 */
export interface ServableApp {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  ready(): Promise<void>;
  close(options?: { timeoutMs?: number }): Promise<void>;
  logger: Logger;
  backgroundRunner?: { readonly size: number };
  /** Takes HTTP Upgrade requests (WebSockets); without it they are refused with 404. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Takes upgrade requests on Bun (WebSockets over Bun's own); without it they are refused with 404. */
  fetchUpgrade?: FetchUpgradeHandler;
  /** The socket limits of the engine behind `fetchUpgrade` (null: no upgrades are taken on Bun). */
  readonly fetchUpgradeLimits?: FetchUpgradeEntry["socketLimits"] | null;
  /** Called when the drain begins: close long-lived connections (WebSockets get 1001, streams end). */
  preClose?: () => Promise<void>;
}

/** Extra behaviour of a server run as a cluster worker. */
export interface RunHooks {
  /** Requests after which `onMaxRequests` fires (0 = never). */
  maxRequests?: number;
  onMaxRequests?: () => void;
  /** Instead of listening, take connections from elsewhere (a cluster worker gets them from its primary). */
  attach?: (server: Server) => void;
}

/** Time kept back from the connection drain for the app's own cleanup. */
function cleanupReserve(timeoutMs: number): number {
  return Math.min(2_000, Math.floor(timeoutMs / 5));
}

/**
 * One process's HTTP server around an app: limits, probes, guards, and a graceful `shutdown`.
 * The same class runs a single-process server and each cluster worker.
 *
 * @example
 * ```ts
 * const running = await RunningServer.start(app, resolveServeOptions({ port: 0 }, app.logger));
 * console.log(running.url);
 * await running.shutdown("test");
 * ```
 */
export class RunningServer {
  readonly server: Server;
  readonly gate: RequestGate;
  readonly shedder: LoadShedder;
  readonly connections = new ConnectionTracker();
  host = "";
  port = 0;
  private closing: Promise<boolean> | null = null;

  private constructor(
    private readonly app: ServableApp,
    private readonly options: ResolvedServeOptions,
    hooks: RunHooks,
  ) {
    const logger = options.logger;
    this.shedder = serverLoadShedder(options);
    const probes = serverProbes(options, () => this.gate.isDraining);
    this.gate = new RequestGate(
      app.handler,
      {
        limitConcurrency: options.limitConcurrency,
        retryAfter: options.retryAfter,
        maxRequests: hooks.maxRequests ?? 0,
        onMaxRequests: hooks.onMaxRequests,
        maxHeadersCount: options.maxHeadersCount,
      },
      probes,
      this.shedder.enabled ? this.shedder : null,
    );
    this.server = createLimitedServer(this.gate.handler, options, this.connections, compileTrust(options.trustProxy));
    this.server.on("clientError", createClientErrorHandler(logger));
    this.server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // The same head checks as every request (the gate never sees an upgrade).
      const refused = refusedHead(req, options.maxHeadersCount);
      if (refused !== 0) return rejectUpgrade(socket, refused);
      if (this.gate.isDraining) return rejectUpgrade(socket, 503, { "retry-after": String(options.retryAfter) });
      this.connections.markUpgraded(socket);
      if (app.upgrade) app.upgrade(req, socket, head);
      else rejectUpgrade(socket, 404);
    });
  }

  /** Runs the app's startup, then listens. */
  static async start(app: ServableApp, options: ResolvedServeOptions, hooks: RunHooks = {}): Promise<RunningServer> {
    await app.ready();
    const running = new RunningServer(app, options, hooks);
    try {
      if (hooks.attach === undefined) await running.listen();
      else running.attach(hooks.attach);
    } catch (err) {
      // The lifespan has started (pools opened...): undo it before reporting the failure.
      await app.close({ timeoutMs: options.shutdownTimeoutMs }).catch(() => {});
      throw err;
    }
    running.shedder.start();
    return running;
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen({ port: this.options.port, host: this.options.host, backlog: this.options.backlog }, () => {
        this.server.off("error", reject);
        const address = this.server.address() as AddressInfo;
        this.host = address.address;
        this.port = address.port;
        resolve();
      });
    });
  }

  private attach(attach: (server: Server) => void): void {
    attach(this.server);
    this.host = this.options.host;
    this.port = this.options.port;
  }

  /** `http://host:port` of the listener. */
  get url(): string {
    return formatUrl(this.host, this.port);
  }

  get draining(): boolean {
    return this.gate.isDraining;
  }

  /**
   * Drains connections (see `drainServer`), then runs `app.close()` — background tasks, lifespan
   * cleanup, app-scoped dependencies — in the time left. Idempotent; resolves true when everything
   * finished before the deadline.
   */
  shutdown(reason: string): Promise<boolean> {
    this.closing ??= this.drainAndClose(reason);
    return this.closing;
  }

  private async drainAndClose(reason: string): Promise<boolean> {
    const logger = this.options.logger;
    const timeout = this.options.shutdownTimeoutMs;
    const deadline = Date.now() + timeout;
    logger.info({ reason, inFlight: this.gate.active.size, connections: this.connections.size, pid: process.pid }, "shutting down: draining connections");
    // Upgraded connections are the app's to close (1001 for WebSockets); the drain waits for them.
    const preClosing = this.app.preClose?.().catch((err: unknown) => logger.error({ err }, "preClose failed"));
    const drained = await drainServer({
      server: this.server,
      gate: this.gate,
      connections: this.connections,
      idleGraceMs: this.options.idleGraceMs,
      deadline: deadline - cleanupReserve(timeout),
    });
    this.shedder.stop();
    if (!drained) logger.warn({ pid: process.pid }, "drain deadline passed, connections cut");
    if (preClosing !== undefined) await preClosing;
    const pending = this.app.backgroundRunner?.size ?? 0;
    if (pending > 0) logger.info({ pending }, "waiting for background tasks");
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
