/** The parts of Bun's `ServerWebSocket` Velox uses. */
export interface BunServerWebSocket {
  readonly data: BunWebSocket;
  readonly readyState: number;
  send(data: string | Uint8Array, compress?: boolean): number;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping(data?: string | Uint8Array): number;
  pause(): void;
  resume(): void;
  getBufferedAmount(): number;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  publish(topic: string, data: string | Uint8Array, compress?: boolean): number;
}

/** A `Bun.serve` server as a WebSocket room publisher. */
export interface BunPublisher {
  publish(topic: string, data: string | Uint8Array, compress?: boolean): number;
}

type Listener = (...args: any[]) => void;

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/**
 * One Bun WebSocket with the shape of a `ws` socket as Velox's `WebSocketConnection` drives it
 * (`on('message' | 'close' | 'error')`, `send`, `close`, `terminate`, `ping`, `pause`/`resume`,
 * `readyState`, `bufferedAmount`, `_socket.bytesRead` for the heartbeat), so the connection,
 * the engine and the hub run unchanged over `Bun.serve`'s native WebSocket. It is the `data` of
 * Bun's `ServerWebSocket`: {@link bunWebSocketHandlers} forward Bun's events to it.
 *
 * @example
 * ```ts
 * const socket = new BunWebSocket(server, "bearer", 65536, (s) => engine.run(spec, new WebSocketConnection(s, settings), outcome));
 * server.upgrade(request, { data: socket });
 * ```
 */
export class BunWebSocket {
  /** @internal Set by WebSocketConnection (its wrapper, found without a closure). */
  _velox: unknown = null;
  readyState = CONNECTING;
  /** Bytes received (messages and pongs): the heartbeat's proof of life, like a TCP socket's `bytesRead`. */
  readonly _socket = { bytesRead: 0 };
  private ws: BunServerWebSocket | null = null;
  private messageListener: Listener | null = null;
  private closeListener: Listener | null = null;

  constructor(
    /** The server the socket belongs to (its rooms' publisher). */
    readonly server: BunPublisher,
    /** The subprotocol selected at the upgrade (`""` when none). */
    readonly protocol: string,
    private readonly maxPayload: number,
    private readonly opened: (socket: BunWebSocket) => void,
  ) {}

  on(event: string, listener: Listener): this {
    if (event === "message") this.messageListener = listener;
    else if (event === "close") this.closeListener = listener;
    // 'error': Bun reports protocol errors by closing (1002/1007/1009), never as an event.
    return this;
  }

  get bufferedAmount(): number {
    return this.ws?.getBufferedAmount() ?? 0;
  }

  send(data: string | Uint8Array, options?: { binary?: boolean }): void {
    if (this.ws === null || this.readyState !== OPEN) return;
    if (options?.binary === true && typeof data === "string") this.ws.send(Buffer.from(data));
    else if (options?.binary === false && typeof data !== "string") this.ws.send(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8"));
    else this.ws.send(data);
  }

  close(code?: number, reason?: string): void {
    if (this.readyState >= CLOSING) return;
    this.readyState = CLOSING;
    this.ws?.close(code, reason);
  }

  terminate(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSING;
    this.ws?.terminate();
  }

  ping(): void {
    this.ws?.ping();
  }

  pause(): void {
    this.ws?.pause();
  }

  resume(): void {
    this.ws?.resume();
  }

  /** Joins a Bun pub/sub topic (a hub room in this process). */
  subscribe(topic: string): void {
    this.ws?.subscribe(topic);
  }

  unsubscribe(topic: string): void {
    if (this.readyState === OPEN) this.ws?.unsubscribe(topic);
  }

  /** Publishes to a topic's subscribers except this socket. */
  publish(topic: string, data: string | Uint8Array): void {
    this.ws?.publish(topic, data);
  }

  /** @internal Bun's `open`. */
  _open(ws: BunServerWebSocket): void {
    this.ws = ws;
    this.readyState = OPEN;
    this.opened(this);
  }

  /** @internal Bun's `message`: text arrives as a string, binary as a Buffer. */
  _message(data: string | Buffer): void {
    const binary = typeof data !== "string";
    const bytes = binary ? data : Buffer.from(data);
    this._socket.bytesRead += bytes.byteLength;
    // Bun's maxPayloadLength is one figure per server; each route's own limit is enforced here, as ws does.
    if (bytes.byteLength > this.maxPayload) {
      this.close(1009, "Message too big");
      return;
    }
    this.messageListener?.call(this, bytes, binary);
  }

  /** @internal Bun's `pong`. */
  _pong(): void {
    this._socket.bytesRead += 2;
  }

  /** @internal Bun's `close`. */
  _close(code: number, reason: string): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.closeListener?.call(this, code, reason);
  }
}

/**
 * The `websocket` handlers of a `Bun.serve` server: each event goes to the {@link BunWebSocket}
 * the upgrade attached as the socket's data, so one set of handlers serves every route.
 *
 * @example
 * ```ts
 * Bun.serve({ fetch, websocket: bunWebSocketHandlers({ maxPayloadLength: 1 << 20 }) });
 * ```
 */
export function bunWebSocketHandlers(limits: { maxPayloadLength: number; backpressureLimit: number; perMessageDeflate: boolean }) {
  return {
    ...limits,
    // A room broadcast (server.publish) to a reader that lags this far is cut, as `send` cuts it (1013 there).
    closeOnBackpressureLimit: true,
    // Velox's own heartbeat pings; Bun's idle timeout would cut quiet but healthy connections.
    idleTimeout: 0,
    sendPings: false,
    open(ws: BunServerWebSocket) {
      ws.data._open(ws);
    },
    message(ws: BunServerWebSocket, message: string | Buffer) {
      ws.data._message(message);
    },
    pong(ws: BunServerWebSocket) {
      ws.data._pong();
    },
    close(ws: BunServerWebSocket, code: number, reason: string) {
      ws.data._close(code, reason);
    },
  };
}
