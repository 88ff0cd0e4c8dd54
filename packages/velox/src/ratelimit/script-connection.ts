import { connect, type Socket } from "node:net";

/** A reply of the RESP2 protocol: a status or bulk string, an integer, null, an array of replies, or an error reply. */
export type Reply = string | number | null | Reply[] | ReplyError;

/** An error reply (`-NOSCRIPT ...`, `-WRONGTYPE ...`). */
export class ReplyError extends Error {}

interface Waiter {
  resolve(reply: Reply): void;
  reject(error: Error): void;
  /** Past this time (ms, Date.now) the connection is given up. */
  deadline: number;
}

const CRLF = 0x0d;
const MAX_PENDING_BYTES = 1 << 20;

/**
 * Parses one reply at `offset`: `[reply, next offset]`, or null when `buffer` does not hold all
 * of it yet.
 */
function parse(buffer: Buffer, offset: number): [Reply, number] | null {
  if (offset >= buffer.length) return null;
  const end = buffer.indexOf(CRLF, offset);
  if (end === -1 || end + 1 >= buffer.length) return null;
  const type = buffer[offset];
  const line = buffer.toString("latin1", offset + 1, end);
  const next = end + 2;
  switch (type) {
    case 0x2b: // +
      return [line, next];
    case 0x2d: // -
      return [new ReplyError(line), next];
    case 0x3a: // :
      return [Number(line), next];
    case 0x24: {
      // $
      const length = Number(line);
      if (!Number.isInteger(length)) throw new Error(`rate-limit store: not a Redis bulk length (${line.slice(0, 20)})`);
      if (length < 0) return [null, next];
      if (next + length + 2 > buffer.length) return null;
      return [buffer.toString("utf8", next, next + length), next + length + 2];
    }
    case 0x2a: {
      // *
      const count = Number(line);
      if (!Number.isInteger(count)) throw new Error(`rate-limit store: not a Redis array length (${line.slice(0, 20)})`);
      if (count < 0) return [null, next];
      const items: Reply[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buffer, at);
        if (item === null) return null;
        items.push(item[0]);
        at = item[1];
      }
      return [items, at];
    }
    default:
      throw new Error(`rate-limit store: not a Redis reply (byte ${type})`);
  }
}

/** A command in RESP2, from its arguments. */
export function encode(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

/**
 * One connection to Redis that only pipelines: commands written during one turn of the event
 * loop leave in one write, replies are matched in order, and there is one timer, not one per
 * command. A command unanswered after `timeoutMs` gives the connection up (every pending command
 * fails; the next call reconnects), as does any socket error; after a failure, calls fail at once
 * for a short, growing pause (no connection storm while Redis is down). Not a general client:
 * the rate-limit store's EVALSHA/EVAL, plus AUTH and SELECT from the URL.
 */
export class ScriptConnection {
  readonly #host: string;
  readonly #port: number;
  readonly #hello: string;
  readonly #timeoutMs: number;
  #socket: Socket | null = null;
  #waiters: Waiter[] = [];
  #head = 0;
  #out = "";
  #flushing = false;
  #rest: Buffer | null = null;
  #timer: NodeJS.Timeout | null = null;
  #failures = 0;
  #retryAt = 0;
  #closed = false;

  constructor(url: string, timeoutMs: number) {
    const parsed = new URL(url);
    this.#host = parsed.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1";
    this.#port = Number(parsed.port || 6379);
    this.#timeoutMs = timeoutMs;
    const password = decodeURIComponent(parsed.password);
    const user = decodeURIComponent(parsed.username);
    const db = parsed.pathname.replace(/^\//, "");
    this.#hello = (password !== "" ? encode(user !== "" ? ["AUTH", user, password] : ["AUTH", password]) : "") + (db !== "" && db !== "0" ? encode(["SELECT", db]) : "");
  }

  /** Sends one encoded command (see {@link encode}); resolves with its reply, rejects on an error reply, a timeout or a lost connection. */
  call(command: string): Promise<Reply> {
    if (this.#closed) return Promise.reject(new Error("rate-limit store: closed"));
    if (this.#socket === null) {
      if (Date.now() < this.#retryAt) return Promise.reject(new Error("rate-limit store: Redis unreachable (retrying shortly)"));
      this.#open();
    }
    return new Promise<Reply>((resolve, reject) => {
      this.#waiters.push({ resolve, reject, deadline: Date.now() + this.#timeoutMs });
      this.#out += command;
      if (!this.#flushing) {
        this.#flushing = true;
        setImmediate(this.#flush);
      }
      if (this.#timer === null) this.#arm();
    });
  }

  close(): void {
    this.#closed = true;
    this.#fail(new Error("rate-limit store: closed"), false);
  }

  #open(): void {
    const socket = connect({ host: this.#host, port: this.#port, noDelay: true });
    this.#socket = socket;
    this.#rest = null;
    socket.setNoDelay(true);
    if (this.#hello !== "") {
      // AUTH/SELECT go first; their replies are checked like a command's.
      const count = (this.#hello.match(/^\*/gm) ?? []).length;
      for (let i = 0; i < count; i++) {
        this.#waiters.push({ resolve: () => undefined, reject: () => undefined, deadline: Date.now() + this.#timeoutMs });
      }
      this.#out = this.#hello + this.#out;
    }
    socket.on("connect", () => {
      this.#failures = 0;
    });
    socket.on("data", (chunk: Buffer) => this.#read(socket, chunk));
    socket.on("error", (error) => this.#lost(socket, error));
    socket.on("close", () => this.#lost(socket, new Error("rate-limit store: connection to Redis closed")));
  }

  readonly #flush = (): void => {
    this.#flushing = false;
    const out = this.#out;
    this.#out = "";
    if (out !== "" && this.#socket !== null) this.#socket.write(out);
  };

  #read(socket: Socket, chunk: Buffer): void {
    if (socket !== this.#socket) return;
    const buffer = this.#rest === null ? chunk : Buffer.concat([this.#rest, chunk]);
    let offset = 0;
    for (;;) {
      let parsed: [Reply, number] | null;
      try {
        parsed = parse(buffer, offset);
      } catch (error) {
        this.#lost(socket, error as Error);
        return;
      }
      if (parsed === null) break;
      offset = parsed[1];
      const waiter = this.#waiters[this.#head++];
      if (waiter === undefined) {
        this.#lost(socket, new Error("rate-limit store: a reply nobody asked for"));
        return;
      }
      const reply = parsed[0];
      if (reply instanceof ReplyError) waiter.reject(reply);
      else waiter.resolve(reply);
    }
    this.#rest = offset < buffer.length ? buffer.subarray(offset) : null;
    // The script's replies are a few dozen bytes: a reply this large is not one of ours.
    if (this.#rest !== null && this.#rest.length > MAX_PENDING_BYTES) {
      this.#lost(socket, new Error("rate-limit store: a Redis reply larger than 1 MiB"));
      return;
    }
    if (this.#head === this.#waiters.length) {
      this.#waiters = [];
      this.#head = 0;
    } else if (this.#head > 1024) {
      this.#waiters = this.#waiters.slice(this.#head);
      this.#head = 0;
    }
  }

  /** One timer for every pending command: it fires at the oldest one's deadline. */
  #arm(): void {
    const oldest = this.#waiters[this.#head];
    if (oldest === undefined) {
      this.#timer = null;
      return;
    }
    this.#timer = setTimeout(this.#check, Math.max(1, oldest.deadline - Date.now()));
    this.#timer.unref();
  }

  readonly #check = (): void => {
    this.#timer = null;
    const oldest = this.#waiters[this.#head];
    if (oldest !== undefined && oldest.deadline <= Date.now()) {
      this.#fail(new Error(`rate-limit store: no answer from Redis within ${this.#timeoutMs} ms`), true);
      return;
    }
    this.#arm();
  };

  #lost(socket: Socket, error: Error): void {
    if (socket === this.#socket) this.#fail(error, true);
  }

  #fail(error: Error, backOff: boolean): void {
    const socket = this.#socket;
    this.#socket = null;
    socket?.destroy();
    const waiters = this.#waiters.slice(this.#head);
    this.#waiters = [];
    this.#head = 0;
    this.#out = "";
    this.#rest = null;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (backOff) {
      this.#failures++;
      this.#retryAt = Date.now() + Math.min(1_000, 25 * 2 ** Math.min(this.#failures - 1, 6));
    }
    for (const waiter of waiters) waiter.reject(error);
  }
}
