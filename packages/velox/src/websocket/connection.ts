import { WebSocket as WsSocket, type RawData } from "ws";
import type { Logger } from "../logger.ts";
import { BunWebSocket } from "../runtime/bun/bun-web-socket.ts";
import { CloseCode, WebSocketDisconnect } from "./close-codes.ts";
import { corkForTick, type PreparedFrame } from "./frame.ts";
import type { MessageCodec } from "./message-codec.ts";
import type { ResolvedLimits } from "./options.ts";
import { TokenBucket } from "./token-bucket.ts";

/** How a connection ended. */
export interface CloseInfo {
  code: number;
  reason: string;
}

/** What to do with an inbound message that fails to parse or validate. */
export type InvalidMessagePolicy = "error" | "close";

/** Told when a connection closes, without a closure per connection (the hub, the engine). */
export interface CloseObserver {
  connectionClosed(connection: WebSocketConnection<any, any>, info: CloseInfo): void;
}

/** What a connection needs from its route: one object per route, shared by its connections. */
export interface ConnectionSettings {
  limits: ResolvedLimits;
  codec: MessageCodec;
  onInvalidMessage: InvalidMessagePolicy;
  logger: Logger;
  /** The route, for logs. */
  where: string;
  /** Told first when any connection of the route closes. */
  observer?: CloseObserver;
}

const OPEN = 1;

/** The parts of ws's WebSocket a pre-framed write depends on (ws 8). */
interface WsInternals {
  _socket: { write(b: Buffer): boolean; cork(): void; uncork(): void };
  _sender: { _queue: unknown[] };
  _extensions: Record<string, unknown>;
}
let nextId = 0;

interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const utf8 = (reason: Buffer | string): string => (typeof reason === "string" ? reason : reason.toString("utf8"));

type Listener = (...args: any[]) => void;
type CloseListener = ((info: CloseInfo) => void) | CloseObserver;
type Owned = WsSocket & { _velox: WebSocketConnection<any, any> };

/**
 * The `ws` socket class the engine has `ws` create: one declared field for the wrapper, so
 * finding it costs a slot in the object rather than an added property (and its property array).
 * @internal
 */
export class OwnedWebSocket extends WsSocket {
  _velox: WebSocketConnection<any, any> | null = null;
}

// One set of listener functions for every connection (each finds its wrapper on the ws object),
// rather than four closures per connection: idle connections are what a chat server holds most.
function onRawMessage(this: Owned, data: RawData, isBinary: boolean): void {
  this._velox._onMessage(data, isBinary);
}
function onRawClose(this: Owned, code: number, reason: Buffer): void {
  this._velox._onClose(code, utf8(reason));
}
function onRawError(this: Owned, err: Error): void {
  // ws closes the connection itself after a protocol error (1002), invalid UTF-8 (1007) or an oversized message (1009).
  const connection = this._velox;
  connection._settings.logger.debug?.({ err, connection: connection.id }, "websocket protocol error");
}

/**
 * One open WebSocket, as a handler sees it: `receive()` / `send()`, an async iterator over inbound
 * messages, `close()`, and `WebSocketDisconnect` once the peer is gone. Inbound messages are
 * decoded and validated by the route's `message` schema, outbound ones validated, filtered and
 * serialized by its `send` schema. The connection enforces its limits itself: the message rate
 * (1008), the slow-consumer cap on buffered bytes (1013), and backpressure — it stops reading the
 * socket while `maxQueuedMessages` messages wait unread.
 *
 * @example
 * ```ts
 * app.ws("/echo", { message: z.object({ text: z.string() }) }, async (socket) => {
 *   for await (const message of socket) await socket.send({ echo: message.text });
 * });
 * ```
 */
export class WebSocketConnection<In = unknown, Out = unknown> {
  /** A process-unique id (the hub's member key). */
  readonly id: string;
  /** The underlying `ws` socket, for what this wrapper does not cover. */
  readonly raw: WsSocket;
  /** The subprotocol the server selected (`""` when none). */
  readonly protocol: string;
  private stateObject: Record<string, unknown> | null = null;
  /** The user this connection belongs to, for `hub.sendToUser` and presence (set by `hub.join` or the handler). */
  user: string | null = null;
  /** @internal The heartbeat's mark: bytes read from the peer at the last ping (any byte, a pong included, proves it alive). */ _readAtPing = -1;
  /** @internal */ _closeInfo: CloseInfo | null = null;
  /** @internal The engine's bookkeeping: the handler has returned (or thrown). */ _handlerDone = false;
  /** @internal What the handler threw (null: nothing). */ _failure: unknown = null;
  /** @internal Cleanup of the handshake's request-scoped dependencies. */ _cleanup: ((error?: unknown) => unknown) | null = null;

  /** @internal */ readonly _settings: ConnectionSettings;
  private readonly bucket: TokenBucket | null;
  private queue: unknown[] | null = null;
  private waiters: Waiter[] | null = null;
  private paused = false;
  private tail: Promise<void> | null = null;
  private closing = false;
  // One listener stands alone (the hub's, or `closed`'s), a second makes an array: `[].push` on an
  // idle connection would allocate room for 16.
  private closeListeners: CloseListener | CloseListener[] | null = null;
  private controller: AbortController | null = null;
  private closedPromise: Promise<CloseInfo> | null = null;
  private cutTimer: NodeJS.Timeout | null = null;

  constructor(raw: WsSocket, settings: ConnectionSettings) {
    this.id = (++nextId).toString(36);
    this.raw = raw;
    this.protocol = raw.protocol;
    this._settings = settings;
    const rl = settings.limits.rateLimit;
    this.bucket = rl === false ? null : new TokenBucket(rl.messages, rl.intervalMs);
    (raw as Owned)._velox = this;
    raw.on("message", onRawMessage as Listener);
    raw.on("close", onRawClose as Listener);
    raw.on("error", onRawError as Listener);
  }

  /** Per-connection state for the handler and its helpers. */
  get state(): Record<string, unknown> {
    return (this.stateObject ??= {});
  }

  /** True until the close handshake has started. */
  get isOpen(): boolean {
    return this.raw.readyState === OPEN && !this.closing;
  }

  /** How it ended, once it has (else null). */
  get closeInfo(): CloseInfo | null {
    return this._closeInfo;
  }

  /** Aborted when the connection closes: hand it to work that should stop with the connection. */
  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this._closeInfo !== null) this.controller.abort(new WebSocketDisconnect(this._closeInfo.code, this._closeInfo.reason));
    }
    return this.controller.signal;
  }

  /** Resolves once the connection has closed, with its close code and reason. */
  get closed(): Promise<CloseInfo> {
    this.closedPromise ??= this._closeInfo !== null ? Promise.resolve(this._closeInfo) : new Promise((resolve) => this.onClosed(resolve));
    return this.closedPromise;
  }

  /** Calls `listener` once when the connection closes (at once when it already has). */
  onClosed(listener: (info: CloseInfo) => void): void {
    if (this._closeInfo !== null) listener(this._closeInfo);
    else this.listen(listener);
  }

  private listen(listener: CloseListener): void {
    const had = this.closeListeners;
    if (had === null) this.closeListeners = listener;
    else if (Array.isArray(had)) had.push(listener);
    else this.closeListeners = [had, listener];
  }

  /** @internal Like `onClosed`, for a shared observer (no closure per connection). */
  _observe(observer: CloseObserver): void {
    if (this._closeInfo !== null) observer.connectionClosed(this, this._closeInfo);
    else this.listen(observer);
  }

  /**
   * The next inbound message (validated by the route's `message` schema). Messages that arrived
   * before the close are still delivered; after them it rejects with `WebSocketDisconnect`.
   */
  receive(): Promise<In> {
    const queue = this.queue;
    if (queue !== null && queue.length > 0) {
      const value = queue.shift();
      if (this.paused && queue.length < this._settings.limits.maxQueuedMessages / 2) this.resume();
      return Promise.resolve(value as In);
    }
    if (this._closeInfo !== null) return Promise.reject(new WebSocketDisconnect(this._closeInfo.code, this._closeInfo.reason));
    return new Promise<In>((resolve, reject) => {
      (this.waiters ??= []).push({ resolve: resolve as (v: unknown) => void, reject });
    });
  }

  /**
   * Sends one message: validated and filtered by the route's `send` schema, then serialized (on
   * routes without one a string goes out as a text message, a Buffer as a binary one, anything
   * else as JSON text). Rejects with `WebSocketDisconnect`
   * once the connection is closed or closing, and closes it with 1013 when the peer reads too
   * slowly (more than `maxBufferedAmount` bytes waiting).
   */
  send(message: Out): Promise<void> {
    if (!this.isOpen) return Promise.reject(this.disconnected());
    let encoded: string | Buffer | Promise<string | Buffer>;
    try {
      encoded = this._settings.codec.encode(message);
    } catch (err) {
      return Promise.reject(err);
    }
    if (encoded instanceof Promise) return encoded.then((e) => this.write(e));
    try {
      this.write(encoded);
    } catch (err) {
      return Promise.reject(err);
    }
    return Promise.resolve();
  }

  /** Sends text or bytes as they are, past the `send` schema (for pre-serialized payloads). */
  sendRaw(data: string | Buffer, binary = false): void {
    if (!this.isOpen) throw this.disconnected();
    this.checkBuffered();
    this.raw.send(data, { binary });
  }

  /**
   * Writes a frame encoded once for many connections (`hub.broadcast`); false when the connection
   * is not open or was cut as a slow consumer.
   * @internal
   */
  _writeFrame(prepared: PreparedFrame): boolean {
    if (!this.isOpen) return false;
    if (this.raw.bufferedAmount > this._settings.limits.maxBufferedAmount) {
      this.close(CloseCode.TRY_AGAIN_LATER, "Slow consumer");
      return false;
    }
    const raw: unknown = this.raw;
    if (raw instanceof BunWebSocket) {
      // Bun frames and batches writes itself (uWebSockets corks per event-loop iteration).
      raw.send(prepared.payload, { binary: prepared.binary });
      return true;
    }
    const internals = this.raw as unknown as WsInternals;
    corkForTick(internals._socket);
    // The frame goes straight to the TCP socket only while ws has nothing queued of its own
    // (nothing compressing, no Blob being read): otherwise frames would interleave out of order.
    if (internals._sender._queue.length === 0 && internals._extensions["permessage-deflate"] === undefined) internals._socket.write(prepared.frame);
    else this.raw.send(prepared.payload, { binary: prepared.binary });
    return true;
  }

  /**
   * Starts the close handshake; the peer has `closeTimeoutMs` to answer before the socket is cut.
   * Does nothing when already closing.
   */
  close(code: number = CloseCode.NORMAL, reason = ""): void {
    if (this.closing || this._closeInfo !== null) return;
    this.closing = true;
    try {
      this.raw.close(code, reason);
    } catch {
      this.raw.terminate();
    }
    this.cutTimer = setTimeout(() => this.raw.terminate(), this._settings.limits.closeTimeoutMs);
    this.cutTimer.unref();
  }

  /** Inbound messages until the connection closes (then the loop ends without an error). */
  async *[Symbol.asyncIterator](): AsyncGenerator<In, void, undefined> {
    for (;;) {
      let message: In;
      try {
        message = await this.receive();
      } catch (err) {
        if (err instanceof WebSocketDisconnect) return;
        throw err;
      }
      yield message;
    }
  }

  private write(data: string | Buffer): void {
    if (!this.isOpen) throw this.disconnected();
    this.checkBuffered();
    // Schema routes always encode to text; without one a Buffer is a binary message.
    this.raw.send(data, { binary: typeof data !== "string" });
  }

  private checkBuffered(): void {
    if (this.raw.bufferedAmount > this._settings.limits.maxBufferedAmount) {
      this.close(CloseCode.TRY_AGAIN_LATER, "Slow consumer");
      throw new WebSocketDisconnect(CloseCode.TRY_AGAIN_LATER, "Slow consumer");
    }
  }

  private disconnected(): WebSocketDisconnect {
    const info = this._closeInfo;
    return info !== null ? new WebSocketDisconnect(info.code, info.reason) : new WebSocketDisconnect(CloseCode.GOING_AWAY, "closing");
  }

  /** @internal */
  _onMessage(data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    if (this.bucket !== null && !this.bucket.take()) {
      this.close(CloseCode.POLICY_VIOLATION, "Message rate limit exceeded");
      return;
    }
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (this.tail !== null) {
      this.tail = this.tail.then(() => this.accept(bytes, isBinary));
      return;
    }
    const done = this.accept(bytes, isBinary);
    if (done !== undefined) {
      const tail: Promise<void> = done.finally(() => {
        if (this.tail === tail) this.tail = null;
      });
      this.tail = tail;
    }
  }

  private accept(bytes: Buffer, isBinary: boolean): void | Promise<void> {
    const decoded = this._settings.codec.decode(bytes, isBinary);
    if (decoded instanceof Promise) return decoded.then((d) => this.deliver(d), (err) => this.failed(err));
    this.deliver(decoded);
  }

  private failed(err: unknown): void {
    this._settings.logger.error({ err, connection: this.id }, "websocket message validation failed");
    this.close(CloseCode.INTERNAL_ERROR, "Internal error");
  }

  private deliver(decoded: Awaited<ReturnType<MessageCodec["decode"]>>): void {
    if (this._closeInfo !== null || this.closing) return;
    if (!decoded.ok) {
      if (this._settings.onInvalidMessage === "close") {
        this.close(decoded.code, decoded.code === CloseCode.UNSUPPORTED_DATA ? "Unsupported data" : "Invalid message");
        return;
      }
      this.checkBufferedQuietly();
      if (this.isOpen) this.raw.send(JSON.stringify({ type: "error", detail: decoded.detail }));
      return;
    }
    const waiter = this.waiters?.shift();
    if (waiter !== undefined) {
      waiter.resolve(decoded.value);
      return;
    }
    const queue = (this.queue ??= []);
    queue.push(decoded.value);
    if (!this.paused && queue.length >= this._settings.limits.maxQueuedMessages) {
      this.paused = true;
      this.raw.pause();
    }
  }

  private checkBufferedQuietly(): void {
    try {
      this.checkBuffered();
    } catch {
      // closed as a slow consumer; nothing more to send
    }
  }

  private resume(): void {
    this.paused = false;
    if (this.raw.readyState === OPEN) this.raw.resume();
  }

  /** @internal */
  _onClose(code: number, reason: string): void {
    if (this.cutTimer !== null) clearTimeout(this.cutTimer);
    const info: CloseInfo = { code, reason };
    this._closeInfo = info;
    this.closing = true;
    const waiters = this.waiters;
    this.waiters = null;
    if (waiters !== null) for (const w of waiters) w.reject(new WebSocketDisconnect(code, reason));
    this.controller?.abort(new WebSocketDisconnect(code, reason));
    const first = this._settings.observer;
    const listeners = this.closeListeners;
    this.closeListeners = null;
    if (first !== undefined) this.tell(first, info);
    if (listeners === null) return;
    if (Array.isArray(listeners)) for (const l of listeners) this.tell(l, info);
    else this.tell(listeners, info);
  }

  private tell(listener: CloseListener, info: CloseInfo): void {
    try {
      if (typeof listener === "function") listener(info);
      else listener.connectionClosed(this, info);
    } catch (err) {
      this._settings.logger.error({ err, connection: this.id }, "websocket close listener failed");
    }
  }
}
