import { createServer, type IncomingMessage, type Server } from "node:http";
import { duplexPair, type Duplex } from "node:stream";
import { WebSocket } from "ws";
import { WebSocketDisconnect } from "../websocket/close-codes.ts";

/** Options of `client.websocket(path, options)`. */
export interface TestWebSocketOptions {
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  /** Subprotocols offered in `Sec-WebSocket-Protocol`. */
  protocols?: string[];
  /** Default time `receive()` waits (ms). Default 5000. */
  timeoutMs?: number;
}

/** Raised by `client.websocket()` when the app answers the handshake over HTTP instead of upgrading (401, 403, 404...). */
export class WebSocketRejected extends Error {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  constructor(status: number, headers: Record<string, string | string[] | undefined>, body: string) {
    super(`WebSocket handshake refused with ${status}: ${body}`);
    this.name = "WebSocketRejected";
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  json<T = any>(): T {
    return JSON.parse(this.body) as T;
  }
}

type Incoming = string | Buffer;

/**
 * One in-process WebSocket connection opened by the test client: no port, but node's real HTTP
 * parser and `ws` on both ends, joined by an in-memory socket pair.
 *
 * @example
 * ```ts
 * await using ws = await client.websocket("/ws/lobby", { query: { token } });
 * ws.sendJson({ content: "hi" });
 * expect(await ws.receiveJson()).toMatchObject({ type: "message" });
 * ```
 */
export class TestWebSocket {
  private readonly inbox: Incoming[] = [];
  private waiters: { resolve(v: Incoming): void; reject(e: unknown): void }[] = [];
  private closeInfo: { code: number; reason: string } | null = null;
  /** Resolves with the close code and reason once the connection has closed. */
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly raw: WebSocket, private readonly timeoutMs: number) {
    raw.on("message", (data, isBinary) => {
      const value = isBinary ? (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)) : data.toString();
      const waiter = this.waiters.shift();
      if (waiter) waiter.resolve(value);
      else this.inbox.push(value);
    });
    this.closed = new Promise((resolve) => {
      raw.once("close", (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        for (const w of this.waiters.splice(0)) w.reject(new WebSocketDisconnect(code, reason.toString()));
        resolve(this.closeInfo);
      });
    });
  }

  /** The subprotocol the server selected. */
  get protocol(): string {
    return this.raw.protocol;
  }

  /** Sends a string or Buffer as is, anything else as JSON text. */
  send(data: unknown): void {
    if (typeof data === "string") this.raw.send(data);
    else if (Buffer.isBuffer(data)) this.raw.send(data, { binary: true });
    else this.sendJson(data);
  }

  sendJson(value: unknown): void {
    this.raw.send(JSON.stringify(value));
  }

  /** The next message (text as a string, binary as a Buffer); rejects with `WebSocketDisconnect` once closed. */
  receive(timeoutMs = this.timeoutMs): Promise<Incoming> {
    const queued = this.inbox.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.closeInfo !== null) return Promise.reject(new WebSocketDisconnect(this.closeInfo.code, this.closeInfo.reason));
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (v: Incoming) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no WebSocket message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async receiveText(timeoutMs?: number): Promise<string> {
    const m = await this.receive(timeoutMs);
    return typeof m === "string" ? m : m.toString("utf8");
  }

  async receiveJson<T = any>(timeoutMs?: number): Promise<T> {
    return JSON.parse(await this.receiveText(timeoutMs)) as T;
  }

  /** Closes (code 1000 by default) and waits for the server's answer. */
  async close(code = 1000, reason = ""): Promise<{ code: number; reason: string }> {
    if (this.closeInfo === null && this.raw.readyState === WebSocket.OPEN) this.raw.close(code, reason);
    return this.closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A socket pair end that node's HTTP server and `ws` accept where they expect a `net.Socket`. */
function socketLike(end: Duplex): Duplex {
  const s = end as Duplex & Record<string, unknown>;
  s.setTimeout ??= () => s;
  s.setNoDelay ??= () => s;
  s.setKeepAlive ??= () => s;
  s.remoteAddress ??= "127.0.0.1";
  s.remotePort ??= 50000;
  s.localAddress ??= "127.0.0.1";
  s.localPort ??= 80;
  s.encrypted ??= false;
  return end;
}

/**
 * Opens an in-process WebSocket to `upgrade` (an app's upgrade entry): a node HTTP server that
 * never listens parses the handshake from one end of a socket pair, `ws` speaks from the other.
 */
export async function openTestWebSocket(
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
  url: string,
  options: TestWebSocketOptions & { cookieHeader?: string },
): Promise<TestWebSocket> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "application/json", upgrade: "websocket" });
    res.end('{"detail":"Upgrade Required"}');
  });
  server.on("upgrade", (req, socket, head) => upgrade(req, socket, head));
  const [clientEnd, serverEnd] = duplexPair();
  server.emit("connection", socketLike(serverEnd));
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.cookieHeader) headers.cookie = options.cookieHeader;
  const raw = new WebSocket(`ws://testserver${url}`, options.protocols ?? [], {
    createConnection: () => socketLike(clientEnd) as never,
    headers,
  });
  const session = new TestWebSocket(raw, options.timeoutMs ?? 5000);
  await new Promise<void>((resolve, reject) => {
    raw.once("open", () => resolve());
    raw.once("unexpected-response", (_req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        reject(new WebSocketRejected(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString("utf8")));
        clientEnd.destroy();
      });
    });
    raw.once("error", reject);
  });
  return session;
}
