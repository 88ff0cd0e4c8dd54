import { Agent, request, type IncomingHttpHeaders } from "node:http";
import { connect, type Socket } from "node:net";

/** A raw TCP client, for requests node's HTTP client would not send (stalled heads, bodies). */
export class RawClient {
  readonly socket: Socket;
  private data = "";
  readonly closed: Promise<void>;
  readonly connected: Promise<void>;

  constructor(port: number) {
    this.socket = connect(port, "127.0.0.1");
    this.socket.setEncoding("utf8");
    this.socket.on("data", (chunk: string) => {
      this.data += chunk;
    });
    this.socket.on("error", () => {});
    this.connected = new Promise((resolve) => this.socket.once("connect", () => resolve()));
    this.closed = new Promise((resolve) => this.socket.once("close", () => resolve()));
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** Everything received so far. */
  get received(): string {
    return this.data;
  }

  /** Waits until the server closes the connection (or `timeoutMs`), then returns what it sent. */
  async untilClosed(timeoutMs = 5_000): Promise<string> {
    await Promise.race([this.closed, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    return this.data;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One GET (or other method) over `agent` (a keep-alive agent to reuse connections; none by default). */
export function send(url: string, options: { method?: string; headers?: Record<string, string>; agent?: Agent | false } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers, agent: options.agent ?? false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.once("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.once("error", reject);
    req.end();
  });
}
