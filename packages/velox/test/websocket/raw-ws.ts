import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";

/** One frame as the server sent it. */
export interface Frame {
  fin: boolean;
  rsv: number;
  opcode: number;
  payload: Buffer;
}

/** The server's answer to a handshake: the status and headers, and the socket when it upgraded. */
export interface Handshake {
  status: number;
  headers: Record<string, string>;
  /** The body of a refused handshake. */
  body: string;
  conn: RawWebSocket | null;
  /** The TCP socket (to see that a refused handshake was closed). */
  socket: Socket;
}

const CRLF2 = Buffer.from("\r\n\r\n");

/** Builds a client frame; every field can be wrong on purpose. */
export function frame(opcode: number, payload: Buffer | string, options: { fin?: boolean; rsv?: number; mask?: boolean } = {}): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload) : payload;
  const mask = options.mask ?? true;
  const len = data.length;
  const head: number[] = [((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | opcode];
  const maskBit = mask ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 255);
  else {
    head.push(maskBit | 127, 0, 0, 0, 0);
    head.push((len >>> 24) & 255, (len >>> 16) & 255, (len >>> 8) & 255, len & 255);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), data]);
  const key = randomBytes(4);
  const masked = Buffer.alloc(len);
  for (let i = 0; i < len; i++) masked[i] = data[i]! ^ key[i & 3]!;
  return Buffer.concat([Buffer.from(head), key, masked]);
}

/**
 * A WebSocket client over a plain TCP socket, for the hostile-input tests: it writes whatever
 * bytes a test asks for (unmasked frames, bad UTF-8, reserved bits) and reads the server's frames
 * as they arrive, answering nothing by itself (no pongs unless asked).
 */
export class RawWebSocket {
  readonly frames: Frame[] = [];
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  ended = false;
  /** Echo the server's close frame, as real clients do (off: a peer that never completes the close). */
  answerClose = true;
  /** Answer pings with pongs (off by default: a peer that looks dead). */
  answerPings = false;
  private closeAnswered = false;

  constructor(readonly socket: Socket, rest: Buffer) {
    socket.on("data", (chunk: Buffer) => this.push(chunk));
    socket.on("close", () => {
      this.ended = true;
      this.wake();
    });
    socket.on("error", () => undefined);
    if (rest.length > 0) this.push(rest);
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  text(data: string | Buffer): void {
    this.send(frame(1, data));
  }

  /** Waits for the next data frame (text or binary) and returns it. */
  async next(timeoutMs = 3000): Promise<Frame> {
    return this.waitFor((f) => f.opcode === 1 || f.opcode === 2, timeoutMs);
  }

  async nextJson(timeoutMs = 3000): Promise<any> {
    return JSON.parse((await this.next(timeoutMs)).payload.toString("utf8"));
  }

  /** Waits for the close frame; returns its code (1005 when it had none). */
  async closeCode(timeoutMs = 3000): Promise<number> {
    const f = await this.waitFor((x) => x.opcode === 8, timeoutMs);
    return f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1005;
  }

  /** Resolves once the server has closed the TCP connection. */
  async closed(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error("the server did not close the connection");
      await this.wait(deadline);
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private async waitFor(match: (f: Frame) => boolean, timeoutMs: number): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex(match);
      if (i !== -1) return this.frames.splice(i, 1)[0]!;
      if (this.ended) throw new Error("connection closed before the expected frame");
      if (Date.now() > deadline) throw new Error("timed out waiting for a frame");
      await this.wait(deadline);
    }
  }

  private wait(deadline: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()) + 5);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const b = this.buffer;
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
      const f: Frame = { fin: (b[0]! & 0x80) !== 0, rsv: (b[0]! >> 4) & 7, opcode: b[0]! & 15, payload: b.subarray(at, at + len) };
      this.frames.push(f);
      this.buffer = b.subarray(at + len);
      if (f.opcode === 8 && this.answerClose && !this.closeAnswered && !this.socket.destroyed) {
        this.closeAnswered = true;
        this.socket.write(frame(8, f.payload.subarray(0, 2)));
      }
      if (f.opcode === 9 && this.answerPings && !this.socket.destroyed) this.socket.write(frame(10, f.payload));
    }
    this.wake();
  }
}

/** Options of {@link handshake}. */
export interface HandshakeOptions {
  headers?: Record<string, string>;
  /** Raw header lines added before the standard ones (e.g. 2000 junk headers). */
  extraLines?: string[];
  /** Leave out the standard WebSocket headers (a plain GET). */
  plain?: boolean;
  method?: string;
}

/** Opens a TCP connection and performs (or attempts) a WebSocket handshake. */
export function handshake(port: number, path: string, options: HandshakeOptions = {}): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const lines = [`${options.method ?? "GET"} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
    if (options.extraLines) lines.push(...options.extraLines);
    if (!options.plain) {
      lines.push("Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13", `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}`);
    }
    for (const [k, v] of Object.entries(options.headers ?? {})) lines.push(`${k}: ${v}`);
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (result: Handshake) => {
      if (done) return;
      done = true;
      socket.off("data", onData);
      resolve(result);
    };
    const parse = (final: boolean) => {
      const end = buf.indexOf(CRLF2);
      if (end === -1) {
        if (final) reject(new Error(`no response head (got ${JSON.stringify(buf.toString("latin1").slice(0, 200))})`));
        return;
      }
      const head = buf.subarray(0, end).toString("latin1").split("\r\n");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head[0]!)?.[1]);
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const c = line.indexOf(":");
        if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
      }
      const rest = buf.subarray(end + 4);
      if (status === 101) return finish({ status, headers, body: "", conn: new RawWebSocket(socket, rest), socket });
      const length = Number(headers["content-length"] ?? NaN);
      if (Number.isFinite(length) && rest.length < length && !final) return;
      finish({ status, headers, body: rest.toString("utf8"), conn: null, socket });
    };
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      parse(false);
    };
    socket.on("data", onData);
    socket.on("error", (err) => (done ? undefined : reject(err)));
    socket.on("close", () => {
      if (!done) parse(true);
    });
    socket.write(lines.join("\r\n") + "\r\n\r\n");
  });
}

/** True once the server has closed `socket` (within `timeoutMs`). */
export function socketClosed(socket: Socket, timeoutMs = 2000): Promise<boolean> {
  if (socket.destroyed || socket.readyState === "closed") return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
