import { connect, type Socket } from "node:net";

/** One HTTP response as it came off the wire. */
export interface RawResponse {
  status: number;
  /** Header names lower-cased; repeated headers joined with ", " (set-cookie with "\n"). */
  headers: Record<string, string>;
  body: Buffer;
  /** The head (status line and header lines) exactly as received. */
  head: string;
  text(): string;
  json(): any;
}

const CRLF2 = Buffer.from("\r\n\r\n");

function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const lines = head.split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}${name === "set-cookie" ? "\n" : ", "}${value}`;
  }
  return { status, headers };
}

/** Decodes a chunked body starting at `start`; returns null until the last chunk has arrived. */
function readChunked(buf: Buffer, start: number): { body: Buffer; end: number } | null {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buf.indexOf("\r\n", at);
    if (lineEnd === -1) return null;
    const size = parseInt(buf.subarray(at, lineEnd).toString("latin1"), 16);
    if (Number.isNaN(size)) throw new Error(`bad chunk size at ${at}`);
    if (size === 0) {
      const trailerEnd = buf.indexOf("\r\n", lineEnd + 2);
      if (trailerEnd === -1) return null;
      return { body: Buffer.concat(parts), end: trailerEnd + 2 };
    }
    if (buf.length < lineEnd + 2 + size + 2) return null;
    parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

function makeResponse(head: string, body: Buffer): RawResponse {
  const { status, headers } = parseHead(head);
  return { status, headers, body, head, text: () => body.toString("utf8"), json: () => JSON.parse(body.toString("utf8")) };
}

/**
 * A raw TCP connection to a test server: write exact bytes, read responses one by one, and see
 * whether (and when) the server closed the connection. Used where node's HTTP parser or exact
 * wire bytes matter; `fetch` would normalise or refuse the input.
 */
export class RawConnection {
  readonly socket: Socket;
  private chunks: Buffer[] = [];
  private size = 0;
  private joined: Buffer = Buffer.alloc(0);
  private cursor = 0;
  private ended = false;
  private waiters: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.size += chunk.length;
      this.wake();
    });
    const finish = () => {
      this.ended = true;
      this.wake();
    };
    socket.on("end", finish);
    socket.on("close", finish);
    socket.on("error", finish);
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.off("error", reject);
        resolve(new RawConnection(socket));
      });
      socket.once("error", reject);
    });
  }

  /** Everything received so far (joined lazily: large bodies arrive in many chunks). */
  private get buffer(): Buffer {
    if (this.joined.length !== this.size) this.joined = Buffer.concat([this.joined, ...this.chunks.splice(0)]);
    return this.joined;
  }

  /** Everything received so far, as latin1 text (bytes preserved one to one). */
  get received(): string {
    return this.buffer.toString("latin1");
  }

  /** True once the server ended or closed the connection. */
  get isClosed(): boolean {
    return this.ended;
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received: ${JSON.stringify(this.received)}`)), timeoutMs);
      const attempt = () => {
        let value: T | undefined;
        try {
          value = check();
        } catch (err) {
          clearTimeout(timer);
          reject(err);
          return;
        }
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        } else this.waiters.push(attempt);
      };
      attempt();
    });
  }

  /**
   * The next complete response. `head: true` for a response to HEAD (no body whatever the
   * headers say). Without Content-Length or chunked coding, the body runs to the close.
   */
  nextResponse(options: { head?: boolean; timeoutMs?: number } = {}): Promise<RawResponse> {
    let parsed: { head: string; status: number; headers: Record<string, string>; bodyStart: number } | null = null;
    return this.waitFor(() => {
      if (parsed === null) {
        const headEnd = this.buffer.indexOf(CRLF2, this.cursor);
        if (headEnd === -1) {
          if (this.ended) throw new Error(`connection closed before a response; received: ${JSON.stringify(this.received)}`);
          return undefined;
        }
        const head = this.buffer.subarray(this.cursor, headEnd).toString("latin1");
        parsed = { head, ...parseHead(head), bodyStart: headEnd + 4 };
      }
      const { head, status, headers, bodyStart } = parsed;
      let body: Buffer;
      let end: number;
      if (options.head || status === 204 || status === 304 || (status >= 100 && status < 200)) {
        body = Buffer.alloc(0);
        end = bodyStart;
      } else if (headers["transfer-encoding"]?.toLowerCase().includes("chunked")) {
        const chunked = readChunked(this.buffer, bodyStart);
        if (chunked === null) {
          if (this.ended) throw new Error("connection closed inside a chunked body");
          return undefined;
        }
        ({ body, end } = chunked);
      } else if (headers["content-length"] !== undefined) {
        end = bodyStart + Number(headers["content-length"]);
        if (this.size < end) {
          if (this.ended) throw new Error("connection closed before Content-Length bytes arrived");
          return undefined;
        }
        body = this.buffer.subarray(bodyStart, end);
      } else {
        if (!this.ended) return undefined;
        end = this.buffer.length;
        body = this.buffer.subarray(bodyStart);
      }
      this.cursor = end;
      return makeResponse(head, Buffer.from(body));
    }, options.timeoutMs ?? 5000, "a response");
  }

  /** Resolves once the server has closed the connection; rejects if it stays open past `timeoutMs`. */
  closed(timeoutMs = 5000): Promise<void> {
    return this.waitFor(() => (this.ended ? true : undefined), timeoutMs, "the server to close the connection").then(() => undefined);
  }

  /**
   * Every response the server sends until it stops (no response within `timeoutMs`), then waits
   * for it to close the connection: for pipelined requests whose answers must come in order.
   */
  async allResponses(timeoutMs = 5000): Promise<RawResponse[]> {
    const responses: RawResponse[] = [];
    for (;;) {
      try {
        responses.push(await this.nextResponse({ timeoutMs }));
      } catch {
        break;
      }
    }
    await this.closed();
    return responses;
  }

  /** Bytes received after the responses read so far. */
  get unread(): string {
    return this.buffer.subarray(this.cursor).toString("latin1");
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/**
 * Sends one raw request on a fresh connection and returns the first response.
 *
 * @example
 * ```ts
 * const res = await rawRequest(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
 * ```
 */
export async function rawRequest(port: number, bytes: string | Buffer, options: { head?: boolean; timeoutMs?: number } = {}): Promise<RawResponse> {
  const conn = await RawConnection.open(port);
  try {
    conn.write(bytes);
    return await conn.nextResponse(options);
  } finally {
    conn.destroy();
  }
}

/** Builds a request with a body and an exact Content-Length (unless `headers` sets one). */
export function httpRequest(method: string, path: string, headers: Record<string, string | number> = {}, body?: string | Buffer): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, "Host: 127.0.0.1"];
  const names = Object.keys(headers).map((h) => h.toLowerCase());
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  const bytes = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
  if (body !== undefined && !names.includes("content-length") && !names.includes("transfer-encoding")) lines.push(`Content-Length: ${bytes.length}`);
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), bytes]);
}

/** GET on a fresh connection. */
export function get(port: number, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(port, httpRequest("GET", path, headers));
}

/**
 * Asserts the server still answers a plain request on a fresh connection: run after each hostile
 * request so a crash, a wedged event loop or a poisoned parser shows up at the test that caused it.
 */
export async function assertServing(port: number, path = "/health"): Promise<void> {
  const res = await get(port, path);
  if (res.status !== 200) throw new Error(`server stopped serving: GET ${path} answered ${res.status} ${res.text()}`);
}
