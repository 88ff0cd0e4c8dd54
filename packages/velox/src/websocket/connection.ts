import type { RawData, WebSocket as WsSocket } from "ws";
import type { Logger } from "../logger.ts";
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

/** What a connection needs from its route. */
export interface ConnectionSettings {
  limits: ResolvedLimits;
  codec: MessageCodec;
  onInvalidMessage: InvalidMessagePolicy;
  logger: Logger;
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
  /** Per-connection state for the handler and its helpers. */
  readonly state: Record<string, unknown> = {};
  /** The user this connection belongs to, for `hub.sendToUser` and presence (set by `hub.join` or the handler). */
  user: string | null = null;
  /** @internal Set by the heartbeat: a pong (or any frame) arrived since the last ping. */ _alive = true;
  /** @internal */ _closeInfo: CloseInfo | null = null;

  private readonly settings: ConnectionSettings;
  private readonly bucket: TokenBucket | null;
  private readonly queue: unknown[] = [];
  private waiters: Waiter[] | null = null;
  private paused = false;
  private tail: Promise<void> | null = null;
  private closing = false;
  private closeListeners: ((info: CloseInfo) => void)[] | null = null;
  private controller: AbortController | null = null;
  private closedPromise: Promise<CloseInfo> | null = null;
  private cutTimer: NodeJS.Timeout | null = null;

  constructor(raw: WsSocket, settings: ConnectionSettings) {
    this.id = (++nextId).toString(36);
    this.raw = raw;
    this.protocol = raw.protocol;
    this.settings = settings;
    const rl = settings.limits.rateLimit;
    this.bucket = rl === false ? null : new TokenBucket(rl.messages, rl.intervalMs);
    raw.on("message", (data, isBinary) => this.onMessage(data, isBinary));
    raw.on("pong", () => {
      this._alive = true;
    });
    raw.on("close", (code, reason) => this.onClose(code, utf8(reason)));
    // ws closes the connection itself after a protocol error (1002), invalid UTF-8 (1007) or an oversized message (1009).
    raw.on("error", (err) => settings.logger.debug?.({ err, connection: this.id }, "websocket protocol error"));
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
    else (this.closeListeners ??= []).push(listener);
  }

  /**
   * The next inbound message (validated by the route's `message` schema). Messages that arrived
   * before the close are still delivered; after them it rejects with `WebSocketDisconnect`.
   */
  receive(): Promise<In> {
    if (this.queue.length > 0) {
      const value = this.queue.shift();
      if (this.paused && this.queue.length < this.settings.limits.maxQueuedMessages / 2) this.resume();
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
      encoded = this.settings.codec.encode(message);
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
    if (this.raw.bufferedAmount > this.settings.limits.maxBufferedAmount) {
      this.close(CloseCode.TRY_AGAIN_LATER, "Slow consumer");
      return false;
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
    this.cutTimer = setTimeout(() => this.raw.terminate(), this.settings.limits.closeTimeoutMs);
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
    if (this.raw.bufferedAmount > this.settings.limits.maxBufferedAmount) {
      this.close(CloseCode.TRY_AGAIN_LATER, "Slow consumer");
      throw new WebSocketDisconnect(CloseCode.TRY_AGAIN_LATER, "Slow consumer");
    }
  }

  private disconnected(): WebSocketDisconnect {
    const info = this._closeInfo;
    return info !== null ? new WebSocketDisconnect(info.code, info.reason) : new WebSocketDisconnect(CloseCode.GOING_AWAY, "closing");
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    this._alive = true;
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
    const decoded = this.settings.codec.decode(bytes, isBinary);
    if (decoded instanceof Promise) return decoded.then((d) => this.deliver(d), (err) => this.failed(err));
    this.deliver(decoded);
  }

  private failed(err: unknown): void {
    this.settings.logger.error({ err, connection: this.id }, "websocket message validation failed");
    this.close(CloseCode.INTERNAL_ERROR, "Internal error");
  }

  private deliver(decoded: Awaited<ReturnType<MessageCodec["decode"]>>): void {
    if (this._closeInfo !== null || this.closing) return;
    if (!decoded.ok) {
      if (this.settings.onInvalidMessage === "close") {
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
    this.queue.push(decoded.value);
    if (!this.paused && this.queue.length >= this.settings.limits.maxQueuedMessages) {
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

  private onClose(code: number, reason: string): void {
    if (this.cutTimer !== null) clearTimeout(this.cutTimer);
    const info: CloseInfo = { code, reason };
    this._closeInfo = info;
    this.closing = true;
    const waiters = this.waiters;
    this.waiters = null;
    if (waiters !== null) for (const w of waiters) w.reject(new WebSocketDisconnect(code, reason));
    this.controller?.abort(new WebSocketDisconnect(code, reason));
    const listeners = this.closeListeners;
    this.closeListeners = null;
    if (listeners !== null) {
      for (const l of listeners) {
        try {
          l(info);
        } catch (err) {
          this.settings.logger.error({ err, connection: this.id }, "websocket close listener failed");
        }
      }
    }
  }
}
