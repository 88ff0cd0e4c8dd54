import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { Logger } from "../logger.ts";
import { BunWebSocket } from "../runtime/bun/bun-web-socket.ts";
import { upgradeRefusal, type FetchUpgrade } from "../upgrade.ts";
import { CloseCode, WebSocketDisconnect } from "./close-codes.ts";
import { OwnedWebSocket, WebSocketConnection, type CloseObserver, type ConnectionSettings, type InvalidMessagePolicy } from "./connection.ts";
import { Heartbeat } from "./heartbeat.ts";
import type { MessageCodec } from "./message-codec.ts";
import type { ResolvedLimits } from "./options.ts";
import { compileOriginCheck } from "./origin.ts";
import { rejectHandshake, type HandshakeRejection } from "./reject-handshake.ts";

/** Everything the engine needs to run one WebSocket route, compiled once at startup. */
export interface WebSocketRouteSpec<Ctx> {
  /** `WS /ws/{room}`, for logs and errors. */
  where: string;
  limits: ResolvedLimits;
  codec: MessageCodec;
  onInvalidMessage: InvalidMessagePolicy;
  /** Subprotocols the route speaks, in order of preference; the first one the client offers is selected. */
  subprotocols: readonly string[];
  handler: (socket: WebSocketConnection<any, any>, ctx: Ctx) => unknown;
}

/**
 * What a handshake's preparation (params, dependencies, security) came to: the handler's context
 * and the cleanup of its request-scoped dependencies, or the HTTP answer that refuses the upgrade.
 */
export type HandshakeOutcome<Ctx> =
  | { ok: true; ctx: Ctx; cleanup?: (error?: unknown) => Promise<void> | void }
  | ({ ok: false } & HandshakeRejection);

/** Prepares one handshake; `signal` aborts when the client gives up or the handshake times out. */
export type PrepareHandshake<Ctx> = (req: IncomingMessage, signal: AbortSignal) => Promise<HandshakeOutcome<Ctx>> | HandshakeOutcome<Ctx>;

/** A route compiled by {@link WebSocketEngine.compile}. */
export interface CompiledWebSocketRoute<Ctx> {
  readonly spec: WebSocketRouteSpec<Ctx>;
  /** @internal */ readonly server: WebSocketServer;
  /** @internal Shared by every connection of the route. */ readonly settings: ConnectionSettings;
  /** @internal */ readonly originAllowed: (origin: string | undefined, host: string | undefined) => boolean;
}

const KEY = /^[+/0-9A-Za-z]{22}==$/;

/** The handshake checks `ws` makes, as a test: a request failing one is handed to `ws` at once to be answered. */
function wellFormed(req: IncomingMessage): boolean {
  const version = req.headers["sec-websocket-version"];
  const key = req.headers["sec-websocket-key"];
  return req.method === "GET"
    && req.headers.upgrade?.toLowerCase() === "websocket"
    && key !== undefined && KEY.test(key)
    && (version === "13" || version === "8");
}

/** ws's answer to a handshake that is not one (405 for another method, else 400), as a Response. */
function malformed(req: IncomingMessage): Response {
  if (req.method !== "GET") return upgradeRefusal(405, { allow: "GET" });
  const version = req.headers["sec-websocket-version"];
  if (version !== undefined && version !== "13" && version !== "8") return upgradeRefusal(400, { "sec-websocket-version": "13, 8" });
  return upgradeRefusal(400);
}

const refusal = (r: HandshakeRejection): Response => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower !== "content-length" && lower !== "connection") headers[lower] = typeof value === "string" ? value : value.join(", ");
  }
  return upgradeRefusal(r.status, headers, r.body);
};

function offeredProtocols(req: IncomingMessage): Set<string> {
  const header = req.headers["sec-websocket-protocol"];
  return new Set(typeof header === "string" ? header.split(",").map((p) => p.trim()).filter((p) => p !== "") : []);
}

function selectProtocol(route: readonly string[]) {
  return (offered: Set<string>): string | false => {
    for (const p of route) if (offered.has(p)) return p;
    return false;
  };
}

/**
 * Runs WebSocket connections over `ws`: one `WebSocketServer` per route (in `noServer` mode, so
 * node's HTTP server and Velox's drain keep owning the sockets), the pre-upgrade checks (handshake
 * shape, origin, the route's own preparation with a deadline), the connection limits, the
 * heartbeat and a graceful shutdown that sends 1001 to everyone and waits for handlers' cleanup.
 *
 * @example
 * ```ts
 * const engine = new WebSocketEngine(logger);
 * const route = engine.compile({ where: "WS /echo", limits, codec, onInvalidMessage: "error", subprotocols: [], handler });
 * server.on("upgrade", (req, socket, head) => engine.upgrade(route, req, socket, head, () => ({ ok: true, ctx: {} })));
 * ```
 */
export class WebSocketEngine implements CloseObserver {
  private readonly heartbeats = new Map<number, Heartbeat>();
  private readonly connections = new Set<WebSocketConnection<any, any>>();
  /** Handlers still running (with their cleanup): a count, not a promise per connection. */
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private draining = false;

  constructor(private readonly logger: Logger) {}

  /** @internal */
  connectionClosed(connection: WebSocketConnection<any, any>): void {
    this.connections.delete(connection);
    if (connection._handlerDone) this.finalize(connection);
  }

  /** Open connections. */
  get size(): number {
    return this.connections.size;
  }

  /** True once `shutdown` has begun: new upgrades are answered 503. */
  get isDraining(): boolean {
    return this.draining;
  }

  compile<Ctx>(spec: WebSocketRouteSpec<Ctx>): CompiledWebSocketRoute<Ctx> {
    const server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: spec.limits.maxPayload,
      perMessageDeflate: spec.limits.perMessageDeflate,
      handleProtocols: selectProtocol(spec.subprotocols),
      WebSocket: OwnedWebSocket,
    });
    const settings: ConnectionSettings = { limits: spec.limits, codec: spec.codec, onInvalidMessage: spec.onInvalidMessage, logger: this.logger, where: spec.where, observer: this };
    return { spec, server, settings, originAllowed: compileOriginCheck(spec.limits.origins) };
  }

  /** The refusal every handshake gets before preparation: draining (503) or a refused origin (403). */
  private refusalOf<Ctx>(route: CompiledWebSocketRoute<Ctx>, req: IncomingMessage): HandshakeRejection | null {
    if (this.draining) return { status: 503, headers: { "retry-after": "5" } };
    if (!route.originAllowed(req.headers.origin, req.headers.host)) return { status: 403, body: JSON.stringify({ detail: "Origin not allowed" }) };
    return null;
  }

  /** What a preparation that threw or rejected answers (500), logged once with the route. */
  private handshakeFailure<Ctx>(route: CompiledWebSocketRoute<Ctx>): (err: unknown) => HandshakeOutcome<Ctx> {
    return (err) => {
      this.logger.error({ err, route: route.spec.where }, "websocket handshake failed");
      return { ok: false as const, status: 500, body: '{"detail":"Internal Server Error"}' };
    };
  }

  /** Runs `prepare`; a synchronous throw becomes the failure outcome, like a rejection. */
  private startPreparing<Ctx>(req: IncomingMessage, signal: AbortSignal, prepare: PrepareHandshake<Ctx>, failed: (err: unknown) => HandshakeOutcome<Ctx>): ReturnType<PrepareHandshake<Ctx>> {
    try {
      return prepare(req, signal);
    } catch (err) {
      return failed(err);
    }
  }

  /**
   * Takes one upgrade request for `route`: refuses it over HTTP when it is malformed (400/405, by
   * `ws`), from a refused origin (403), while draining (503), when `prepare` refuses it (its
   * status: 401/403/422...) or does not finish within `handshakeTimeoutMs` (408); otherwise
   * upgrades and runs the handler.
   */
  upgrade<Ctx>(route: CompiledWebSocketRoute<Ctx>, req: IncomingMessage, socket: Duplex, head: Buffer, prepare: PrepareHandshake<Ctx>): void {
    const { spec } = route;
    if (!wellFormed(req)) {
      route.server.handleUpgrade(req, socket, head, (ws) => ws.terminate());
      return;
    }
    const refused = this.refusalOf(route, req);
    if (refused !== null) return rejectHandshake(socket, refused);
    const controller = new AbortController();
    const failed = this.handshakeFailure(route);
    const pending = this.startPreparing(req, controller.signal, prepare, failed);
    // A synchronous preparation upgrades at once: no timer and no listeners touch the socket.
    if (!(pending instanceof Promise)) return this.accept(route, req, socket, head, pending);
    let settled = false;
    const onGone = () => controller.abort(new Error("client closed the connection during the handshake"));
    const onError = () => socket.destroy();
    socket.on("error", onError);
    socket.once("close", onGone);
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      controller.abort(new Error("handshake timed out"));
      rejectHandshake(socket, { status: 408, body: JSON.stringify({ detail: "Handshake timed out" }) });
    }, spec.limits.handshakeTimeoutMs);
    const finish = (outcome: HandshakeOutcome<Ctx>) => {
      clearTimeout(timer);
      socket.off("close", onGone);
      socket.off("error", onError);
      if (settled || socket.destroyed) {
        if (outcome.ok && outcome.cleanup) void this.cleanup(spec.where, outcome.cleanup, undefined);
        return;
      }
      settled = true;
      this.accept(route, req, socket, head, outcome);
    };
    pending.then(finish, (err: unknown) => finish(failed(err)));
  }

  /**
   * The same handshake on Bun (`Bun.serve`): the same checks and refusals, as a `Response`; a
   * handshake that passes is upgraded to Bun's native WebSocket, which the connection, hub and
   * heartbeat then drive through a {@link BunWebSocket}.
   */
  upgradeFetch<Ctx>(route: CompiledWebSocketRoute<Ctx>, upgrade: FetchUpgrade, prepare: PrepareHandshake<Ctx>): Response | undefined | Promise<Response | undefined> {
    const { spec } = route;
    const req = upgrade.req;
    if (!wellFormed(req)) return malformed(req);
    const refused = this.refusalOf(route, req);
    if (refused !== null) return refusal(refused);
    const controller = new AbortController();
    const failed = this.handshakeFailure(route);
    const pending = this.startPreparing(req, controller.signal, prepare, failed);
    if (!(pending instanceof Promise)) return this.acceptFetch(route, upgrade, pending);
    const onGone = () => controller.abort(new Error("client closed the connection during the handshake"));
    upgrade.signal.addEventListener("abort", onGone, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Response>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error("handshake timed out"));
        resolve(refusal({ status: 408, body: JSON.stringify({ detail: "Handshake timed out" }) }));
      }, spec.limits.handshakeTimeoutMs);
    });
    const done = pending.then(
      (outcome) => outcome,
      (err: unknown) => failed(err),
    ).then((outcome) => {
      clearTimeout(timer);
      upgrade.signal.removeEventListener("abort", onGone);
      if (controller.signal.aborted) {
        // Timed out (the 408 went out) or the client left: nobody to upgrade.
        if (outcome.ok && outcome.cleanup) void this.cleanup(spec.where, outcome.cleanup, undefined);
        return upgradeRefusal(408);
      }
      return this.acceptFetch(route, upgrade, outcome);
    });
    return Promise.race([done, late]);
  }

  private acceptFetch<Ctx>(route: CompiledWebSocketRoute<Ctx>, upgrade: FetchUpgrade, outcome: HandshakeOutcome<Ctx>): Response | undefined {
    if (this.draining) {
      if (outcome.ok && outcome.cleanup) void this.cleanup(route.spec.where, outcome.cleanup, undefined);
      return refusal({ status: 503, headers: { "retry-after": "5" } });
    }
    if (!outcome.ok) return refusal(outcome);
    const protocol = route.server.options.handleProtocols?.(offeredProtocols(upgrade.req), upgrade.req) || "";
    const socket = new BunWebSocket(upgrade.server, protocol, route.spec.limits.maxPayload, (s) =>
      this.run(route.spec, new WebSocketConnection(s as unknown as OwnedWebSocket, route.settings), outcome));
    if (upgrade.accept(socket, protocol === "" ? undefined : { "sec-websocket-protocol": protocol })) return undefined;
    if (outcome.cleanup) void this.cleanup(route.spec.where, outcome.cleanup, undefined);
    return refusal({ status: 400 });
  }

  private accept<Ctx>(route: CompiledWebSocketRoute<Ctx>, req: IncomingMessage, socket: Duplex, head: Buffer, outcome: HandshakeOutcome<Ctx>): void {
    if (socket.destroyed || this.draining) {
      if (!socket.destroyed) rejectHandshake(socket, { status: 503, headers: { "retry-after": "5" } });
      if (outcome.ok && outcome.cleanup) void this.cleanup(route.spec.where, outcome.cleanup, undefined);
      return;
    }
    if (!outcome.ok) return rejectHandshake(socket, outcome);
    route.server.handleUpgrade(req, socket, head, (ws) => this.run(route.spec, new WebSocketConnection(ws, route.settings), outcome));
  }

  // Per connection this is two closures and one promise reaction, not an async function's
  // suspended frame: an idle connection's whole cost is what the chat server holds 10k times.
  private run<Ctx>(spec: WebSocketRouteSpec<Ctx>, connection: WebSocketConnection<any, any>, outcome: { ctx: Ctx; cleanup?: (error?: unknown) => Promise<void> | void }): void {
    this.connections.add(connection);
    const interval = spec.limits.pingIntervalMs;
    if (interval > 0 && !this.heartbeats.has(interval)) this.heartbeats.set(interval, new Heartbeat(interval, this.connections));
    this.heartbeats.get(interval)?.start();
    if (this.draining) connection.close(CloseCode.GOING_AWAY, "Server shutting down");
    this.active++;
    connection._cleanup = outcome.cleanup ?? null;
    let result: unknown;
    try {
      result = spec.handler(connection, outcome.ctx);
    } catch (err) {
      this.handlerDone(connection, err ?? new Error("handler threw"));
      return;
    }
    if (result instanceof Promise) result.then(() => this.handlerDone(connection, null), (err) => this.handlerDone(connection, err ?? new Error("handler rejected")));
    else this.handlerDone(connection, null);
  }

  private handlerDone(connection: WebSocketConnection<any, any>, err: unknown): void {
    if (err === null || err instanceof WebSocketDisconnect) connection.close(CloseCode.NORMAL);
    else {
      connection._failure = err;
      this.logger.error({ err, route: connection._settings.where, connection: connection.id }, "websocket handler failed");
      connection.close(CloseCode.INTERNAL_ERROR, "Internal error");
    }
    connection._handlerDone = true;
    if (connection._closeInfo !== null) this.finalize(connection);
  }

  /** Handler returned and socket closed: the dependencies' cleanup runs, then the handler counts as done. */
  private finalize(connection: WebSocketConnection<any, any>): void {
    const cleanup = connection._cleanup;
    connection._cleanup = null;
    connection._handlerDone = false;
    const done = () => {
      if (--this.active === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    };
    if (cleanup === null) return done();
    void this.cleanup(connection._settings.where, cleanup, connection._failure ?? undefined).then(done);
  }

  private async cleanup(where: string, cleanup: (error?: unknown) => unknown, error: unknown): Promise<void> {
    try {
      await cleanup(error);
    } catch (err) {
      this.logger.error({ err, route: where }, "websocket dependency cleanup failed");
    }
  }

  /**
   * Begins shutdown: new upgrades get 503, every open connection gets close 1001, and the
   * handlers (with their dependencies' cleanup) are awaited until `deadline` (epoch ms), when
   * the sockets still open are cut. Resolves true when everything finished in time.
   */
  async shutdown(deadline: number): Promise<boolean> {
    this.draining = true;
    for (const connection of this.connections) connection.close(CloseCode.GOING_AWAY, "Server shutting down");
    const all = this.active === 0 ? Promise.resolve(true) : new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
    });
    const clean = await Promise.race([all, late]);
    clearTimeout(timer);
    if (!clean) for (const connection of this.connections) connection.raw.terminate();
    for (const heartbeat of this.heartbeats.values()) heartbeat.stop();
    return clean && this.active === 0;
  }
}
