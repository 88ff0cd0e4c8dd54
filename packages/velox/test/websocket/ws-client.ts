import WebSocket from "ws";

/** A `ws` client that queues what it receives, for tests: `next()`, `nextJson()`, `closed`. */
export class TestWs {
  readonly messages: string[] = [];
  private waiters: (() => void)[] = [];
  closeCode: number | null = null;
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.messages.push(data.toString());
      this.wake();
    });
    this.opened = new Promise((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (_req, res) => reject(new Error(`handshake answered ${res.statusCode}`)));
      ws.once("error", reject);
    });
    this.closed = new Promise((resolve) => ws.once("close", (code) => {
      this.closeCode = code;
      this.wake();
      resolve(code);
    }));
  }

  static async open(url: string, protocols?: string[]): Promise<TestWs> {
    const client = new TestWs(new WebSocket(url, protocols));
    await client.opened;
    return client;
  }

  send(value: unknown): void {
    this.ws.send(typeof value === "string" ? value : JSON.stringify(value));
  }

  async next(timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length === 0) {
      if (this.closeCode !== null) throw new Error(`closed (${this.closeCode}) before a message arrived`);
      if (Date.now() > deadline) throw new Error("timed out waiting for a message");
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.messages.shift()!;
  }

  async nextJson<T = any>(timeoutMs?: number): Promise<T> {
    return JSON.parse(await this.next(timeoutMs)) as T;
  }

  /** Waits `ms` and asserts nothing arrived in that time (returns what did). */
  async quiet(ms = 100): Promise<string[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.messages.splice(0);
  }

  close(): Promise<number> {
    this.ws.close();
    return this.closed;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
