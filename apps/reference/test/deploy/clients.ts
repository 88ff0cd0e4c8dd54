/**
 * Clients that behave like browsers across a restart: an SSE reader that reconnects with
 * `Last-Event-ID` (as EventSource does) and a chat socket that reconnects when it is closed.
 * Both record which upstream nginx picked (the `x-upstream` header the tests add).
 */
import { WebSocket } from "ws";

export interface SseEvent {
  id: string;
  event: string;
  data: any;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  readonly upstreams: string[] = [];
  /** The Last-Event-ID sent on each reconnect. */
  readonly resumedFrom: string[] = [];
  connected = false;
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;

  constructor(private readonly url: string, private readonly token: string) {
    this.done = this.run();
  }

  private async run(): Promise<void> {
    let lastId: string | undefined;
    while (!this.abort.signal.aborted) {
      const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: "text/event-stream" };
      if (lastId !== undefined) {
        headers["last-event-id"] = lastId;
        this.resumedFrom.push(lastId);
      }
      try {
        const res = await fetch(this.url, { headers, signal: this.abort.signal });
        this.upstreams.push(res.headers.get("x-upstream") ?? "?");
        this.connected = res.status === 200;
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf("\n\n")) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = Object.fromEntries(block.split("\n").filter((l) => !l.startsWith(":")).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trimStart()]));
            if (fields.data === undefined) continue;
            this.events.push({ id: fields.id ?? "", event: fields.event ?? "message", data: JSON.parse(fields.data) });
            if (fields.id) lastId = fields.id;
          }
        }
      } catch {
        // a reset or an abort: reconnect below unless stopped
      }
      this.connected = false;
      if (!this.abort.signal.aborted) await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}

export class ChatClient {
  readonly messages: string[] = [];
  readonly closeCodes: number[] = [];
  readonly upstreams: string[] = [];
  socket!: WebSocket;
  private stopped = false;
  opened!: Promise<void>;

  constructor(private readonly url: string, private readonly token: string) {
    this.connect();
  }

  private connect(): void {
    const socket = new WebSocket(this.url, ["bearer", this.token]);
    this.socket = socket;
    socket.on("upgrade", (res) => this.upstreams.push(String(res.headers["x-upstream"] ?? "?")));
    socket.on("message", (m) => {
      const event = JSON.parse(m.toString()) as { type: string; content?: string };
      if (event.type === "message") this.messages.push(event.content!);
    });
    socket.on("error", () => undefined);
    socket.on("close", (code) => {
      this.closeCodes.push(code);
      if (!this.stopped) setTimeout(() => this.connect(), 100);
    });
    this.opened = new Promise((resolve) => socket.once("open", () => resolve()));
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  stop(): void {
    this.stopped = true;
    this.socket.close();
  }
}
