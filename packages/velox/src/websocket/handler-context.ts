import { randomUUID } from "node:crypto";
import { IncomingMessage, ServerResponse, type IncomingHttpHeaders } from "node:http";
import { Socket } from "node:net";
import type { AppHandle, RequestContext } from "../context.ts";
import { VeloxError } from "../errors.ts";
import { requestLogger, type Logger } from "../logger.ts";
import type { Runtime } from "../pipeline/runtime.ts";
import type { WebSocketConnection } from "./connection.ts";

/**
 * What a WebSocket handler keeps of its handshake request for the connection's life: the request
 * line and the TCP socket. Not the `IncomingMessage` (its stream state, raw header list and
 * listeners) and not the headers, which are released once the connection is open: a header the
 * handler needs is declared in the route's `headers` (validated, and kept in `ctx.headers`);
 * reading `req.headers` throws `VX_HEADERS_RELEASED` saying so. Hooks and dependencies, which run
 * during the handshake, see the whole request.
 */
export interface HandshakeRequest {
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  /** The connection's TCP socket (`remoteAddress`, ...); on Bun, what its request shim gives. */
  readonly socket: Socket;
}

class KeptRequest implements HandshakeRequest {
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  readonly socket: Socket;
  constructor(req: IncomingMessage) {
    this.method = req.method ?? "GET";
    this.url = req.url ?? "/";
    this.httpVersion = req.httpVersion;
    this.socket = req.socket;
  }

  get headers(): IncomingHttpHeaders {
    throw new VeloxError("VX_HEADERS_RELEASED", `a WebSocket handler's ctx.req has no headers once the connection is open (${this.url}): declare the ones it needs in the route's "headers" and read ctx.headers`);
  }
}

const REQUEST_ID = /^[\w.:@-]{1,128}$/;

function incomingRequestId(ctx: RequestContext): string | null {
  const header = ctx._rt.requestIdHeader;
  const incoming = header !== null ? ctx.req.headers[header] : undefined;
  return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : null;
}

/**
 * The context a WebSocket handler receives, made at the end of a successful handshake: the
 * validated `path`/`query`/`headers`/`cookies`, each dependency by name, `req` (a
 * {@link HandshakeRequest}: method, url, httpVersion, socket), `app`, `route`, `state` (the handshake's, so what `onRequest` hooks
 * and dependencies put there is kept), `requestId`, `log`, and `signal` (the connection's: aborted
 * when it closes). It replaces the handshake's request context, which is left to the garbage
 * collector with the request: an idle connection keeps a dozen fields, not a request's worth.
 *
 * @example
 * ```ts
 * app.ws("/ws", {}, async (socket, ctx) => {
 *   ctx.log.info({ ip: ctx.req.socket.remoteAddress, url: ctx.req.url }, "connected");
 *   await socket.closed;
 * });
 * ```
 */
export class ConnectionContext {
  path: unknown;
  query: unknown;
  headers: unknown;
  cookies: unknown;
  readonly req: HandshakeRequest;
  readonly app: AppHandle;
  readonly route: string | null;
  /** @internal */ _rt: Runtime;
  /** @internal */ _requestId: string | null;
  /** @internal */ _state: Record<string, unknown> | null;
  /** @internal */ _log: Logger | null = null;
  /** @internal Set when the handler starts. */ _socket: WebSocketConnection<any, any> | null = null;

  constructor(ctx: RequestContext) {
    const req = ctx.req;
    this.path = ctx.path;
    this.query = ctx.query;
    this.headers = ctx.headers;
    this.cookies = ctx.cookies;
    this.req = new KeptRequest(req);
    this.app = ctx.app;
    this.route = ctx.route;
    this._rt = ctx._rt;
    // The id is taken from the header now, while there are headers (a string already in memory).
    this._requestId = ctx._requestId ?? incomingRequestId(ctx);
    this._state = ctx._state;
  }

  get requestId(): string {
    return (this._requestId ??= randomUUID());
  }

  set requestId(id: string) {
    this._requestId = id;
    this._log = null;
  }

  get state(): Record<string, unknown> {
    return (this._state ??= {});
  }

  get log(): Logger {
    return (this._log ??= requestLogger(this._rt.logger, this.requestId));
  }

  /** Aborted when the connection closes (the socket's `signal`). */
  get signal(): AbortSignal {
    return this._socket!.signal;
  }

  get method(): string {
    return this.req.method;
  }

  get url(): string {
    return this.req.url;
  }

  /** @internal A handler has no HTTP response: this is the shared inert one the handshake used. */
  get res(): ServerResponse {
    return inertResponse();
  }
}

// A WebSocket context never writes an HTTP response (refusals go out over the raw socket), so
// every handshake shares one inert ServerResponse instead of holding its own per connection.
let inert: ServerResponse | null = null;
/** @internal */
export const inertResponse = (): ServerResponse => (inert ??= new ServerResponse(new IncomingMessage(new Socket())));
