// Load-generator side of the WebSocket benches: subscribers as bare TCP sockets with a minimal
// frame reader (so the generator costs the same, and little, whatever the server), a publisher
// on `ws`. Socket.IO is spoken at the engine.io level (open packet, "40", "42[...]", pings).
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { WebSocket } from "ws";

export type Impl = "plain" | "velox" | "velox-app" | "socketio";

function pathFor(impl: Impl, room: string, pub: boolean): string {
  const q = `room=${room}${pub ? "&role=pub" : ""}`;
  return impl === "socketio" ? `/socket.io/?EIO=4&transport=websocket&${q}` : `/ws?${q}`;
}

function maskedText(text: string): Buffer {
  const data = Buffer.from(text);
  const key = randomBytes(4);
  const head = data.length < 126 ? Buffer.from([0x81, 0x80 | data.length]) : Buffer.from([0x81, 0x80 | 126, data.length >> 8, data.length & 255]);
  for (let i = 0; i < data.length; i++) data[i]! ^= key[i & 3]!;
  return Buffer.concat([head, key, data]);
}

/** A subscriber: calls `onMessage(payload)` for each text frame, answers engine.io pings. */
export class Subscriber {
  private buffer: Buffer = Buffer.alloc(0);
  private upgraded = false;
  readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor(readonly socket: Socket, private readonly impl: Impl, private readonly onMessage: (payload: Buffer) => void) {
    this.ready = new Promise((r) => (this.markReady = r));
    socket.on("data", (chunk: Buffer) => this.push(chunk));
    socket.on("error", () => undefined);
  }

  static open(port: number, impl: Impl, room: string, onMessage: (payload: Buffer) => void): Subscriber {
    const socket = connect(port, "127.0.0.1");
    socket.setNoDelay(true);
    const sub = new Subscriber(socket, impl, onMessage);
    socket.write(
      `GET ${pathFor(impl, room, false)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\n\r\n`,
    );
    return sub;
  }

  private push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    if (!this.upgraded) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end === -1) return;
      if (!this.buffer.subarray(0, 12).toString().includes("101")) throw new Error(`upgrade refused: ${this.buffer.toString().slice(0, 80)}`);
      this.upgraded = true;
      this.buffer = this.buffer.subarray(end + 4);
      if (this.impl !== "socketio") this.markReady();
    }
    let b = this.buffer;
    for (;;) {
      if (b.length < 2) break;
      let len = b[1]! & 127;
      let at = 2;
      if (len === 126) {
        if (b.length < 4) break;
        len = b.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (b.length < 10) break;
        len = Number(b.readBigUInt64BE(2));
        at = 10;
      }
      if (b.length < at + len) break;
      const opcode = b[0]! & 15;
      const payload = b.subarray(at, at + len);
      b = b.subarray(at + len);
      if (opcode === 1 && payload.length > 0) this.frame(payload);
    }
    this.buffer = b;
  }

  private frame(payload: Buffer): void {
    if (this.impl !== "socketio") return this.onMessage(payload);
    const kind = payload[0];
    if (kind === 0x30 /* "0" open */) this.socket.write(maskedText("40"));
    else if (kind === 0x32 /* "2" ping */) this.socket.write(maskedText("3"));
    else if (kind === 0x34 && payload[1] === 0x30 /* "40" connected */) this.markReady();
    else if (kind === 0x34 && payload[1] === 0x32 /* "42" event */) this.onMessage(payload);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The publisher: sends `{ seq, t }` messages, as a Socket.IO event for socketio. */
export class Publisher {
  private constructor(readonly ws: WebSocket, private readonly impl: Impl) {}

  static async open(port: number, impl: Impl, room: string): Promise<Publisher> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${pathFor(impl, room, true)}`, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once("error", reject);
      if (impl !== "socketio") ws.once("open", () => resolve());
      else {
        ws.on("message", (m) => {
          const s = m.toString();
          if (s.startsWith("0")) ws.send("40");
          else if (s === "2") ws.send("3");
          else if (s.startsWith("40")) resolve();
        });
      }
    });
    return new Publisher(ws, impl);
  }

  send(seq: number, t: number): void {
    const body = `{"seq":${seq},"t":${t}}`;
    this.ws.send(this.impl === "socketio" ? `42["msg",${body}]` : body);
  }

  close(): void {
    this.ws.terminate();
  }
}

const SEQ = Buffer.from('"seq":');
const T = Buffer.from('"t":');

function numberAt(payload: Buffer, key: Buffer): number {
  let i = payload.indexOf(key);
  if (i === -1) return NaN;
  i += key.length;
  let end = i;
  while (end < payload.length && ((payload[end]! >= 0x30 && payload[end]! <= 0x39) || payload[end] === 0x2e)) end++;
  return Number(payload.toString("latin1", i, end));
}

/** Reads seq and t from a delivered message without parsing all of it. */
export function readStamp(payload: Buffer): { seq: number; t: number } {
  return { seq: numberAt(payload, SEQ), t: numberAt(payload, T) };
}
