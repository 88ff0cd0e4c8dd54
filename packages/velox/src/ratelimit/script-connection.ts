import { connect, type Socket } from "node:net";

/** A reply of the RESP2 protocol: a status or bulk string, an integer, null, an array of replies, or an error reply. */
export type Reply = string | number | null | Reply[] | ReplyError;

/** An error reply (`-NOSCRIPT ...`, `-WRONGTYPE ...`). */
export class ReplyError extends Error {}

/** Who gets one reply: the connection calls exactly one of the two, once. */
export interface ReplyWaiter {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

const CR = 0x0d;
const MAX_PENDING_BYTES = 1 << 20;
/** What {@link parse} answers when the buffer does not hold the whole reply yet. */
const INCOMPLETE: unique symbol = Symbol("incomplete");
/** Where the reply {@link parse} last returned ends (one parser per thread, so a module variable: no tuple per reply). */
let parsedEnd = 0;

/** Where the line {@link integerLine} last read ends (after its CRLF). */
let lineEnd = 0;

/**
 * The integer of the line starting at `start` (digits with an optional minus, up to CR LF), its
 * end in {@link lineEnd}; null when the buffer does not hold the whole line yet. Read from the
 * bytes: no `indexOf`, no string.
 */
function integerLine(buffer: Buffer, start: number, what: string): number | null {
  const length = buffer.length;
  let at = start;
  const negative = at < length && buffer[at] === 0x2d;
  if (negative) at++;
  let value = 0;
  let digits = 0;
  for (; at < length; at++) {
    const byte = buffer[at]!;
    if (byte === CR) break;
    const digit = byte - 0x30;
    if (digit < 0 || digit > 9 || ++digits > 15) throw new Error(`rate-limit store: not a Redis ${what} (${buffer.toString("latin1", start, Math.min(length, start + 20))})`);
    value = value * 10 + digit;
  }
  if (at + 1 >= length) return null;
  if (digits === 0) throw new Error(`rate-limit store: not a Redis ${what} (empty)`);
  lineEnd = at + 2;
  return negative ? -value : value;
}

/**
 * Parses one reply at `offset` (its end in {@link parsedEnd}), or answers {@link INCOMPLETE} when
 * `buffer` does not hold all of it yet.
 */
function parse(buffer: Buffer, offset: number): Reply | typeof INCOMPLETE {
  if (offset >= buffer.length) return INCOMPLETE;
  switch (buffer[offset]) {
    case 0x3a: {
      // :
      const value = integerLine(buffer, offset + 1, "integer");
      if (value === null) return INCOMPLETE;
      parsedEnd = lineEnd;
      return value;
    }
    case 0x2a: {
      // *
      const count = integerLine(buffer, offset + 1, "array length");
      if (count === null) return INCOMPLETE;
      if (count < 0) {
        parsedEnd = lineEnd;
        return null;
      }
      const items: Reply[] = new Array(count);
      let at = lineEnd;
      for (let i = 0; i < count; i++) {
        const item = parse(buffer, at);
        if (item === INCOMPLETE) return INCOMPLETE;
        items[i] = item;
        at = parsedEnd;
      }
      parsedEnd = at;
      return items;
    }
    case 0x24: {
      // $
      const length = integerLine(buffer, offset + 1, "bulk length");
      if (length === null) return INCOMPLETE;
      const next = lineEnd;
      if (length < 0) {
        parsedEnd = next;
        return null;
      }
      if (next + length + 2 > buffer.length) return INCOMPLETE;
      parsedEnd = next + length + 2;
      return buffer.toString("utf8", next, next + length);
    }
    case 0x2b: // +
    case 0x2d: {
      // -
      const end = buffer.indexOf(CR, offset);
      if (end === -1 || end + 1 >= buffer.length) return INCOMPLETE;
      parsedEnd = end + 2;
      return buffer[offset] === 0x2b ? buffer.toString("latin1", offset + 1, end) : new ReplyError(buffer.toString("utf8", offset + 1, end));
    }
    default:
      throw new Error(`rate-limit store: not a Redis reply (byte ${buffer[offset]})`);
  }
}

/** A command in RESP2, from its arguments. */
export function encode(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

/** Bytes the socket reads into; replies are copied out of it only when one spans two reads. */
const READ_BUFFER_BYTES = 64 * 1024;

/**
 * One connection to Redis that only pipelines: commands written during one turn of the event
 * loop leave in one write, replies are matched in order, and there is one timer, not one per
 * command. A command unanswered after `timeoutMs` gives the connection up (every pending command
 * fails; the next call reconnects), as does any socket error; after a failure, calls fail at once
 * for a short, growing pause (no connection storm while Redis is down). The socket reads into one
 * buffer of its own (`onread`), without the stream machinery. Not a general client: the
 * rate-limit store's EVALSHA/EVAL, plus AUTH and SELECT from the URL.
 */
export class ScriptConnection {
  readonly #host: string;
  readonly #port: number;
  readonly #hello: string;
  readonly #timeoutMs: number;
  #socket: Socket | null = null;
  #waiters: ReplyWaiter[] = [];
  /** Past this time (ms, Date.now) the waiter at the same index gives the connection up. */
  #deadlines: number[] = [];
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

  /** Sends one encoded command (see {@link encode}) with this turn's others; resolves with its reply, rejects on an error reply, a timeout or a lost connection. */
  call(command: string): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => this.dispatch(command, { resolve, reject }, false));
  }

  /**
   * Queues one encoded command for `waiter`: with `now`, written at once (the caller has batched
   * already, in a setImmediate of its own), else with the rest of this turn's. A closed or backing
   * off connection rejects at once.
   */
  dispatch(command: string, waiter: ReplyWaiter, now: boolean): void {
    if (this.#closed) return waiter.reject(new Error("rate-limit store: closed"));
    if (this.#socket === null) {
      if (Date.now() < this.#retryAt) return waiter.reject(new Error("rate-limit store: Redis unreachable (retrying shortly)"));
      this.#open();
    }
    this.#waiters.push(waiter);
    this.#deadlines.push(Date.now() + this.#timeoutMs);
    this.#out += command;
    if (now) this.#flush();
    else if (!this.#flushing) {
      this.#flushing = true;
      setImmediate(this.#flush);
    }
    if (this.#timer === null) this.#arm();
  }

  close(): void {
    this.#closed = true;
    this.#fail(new Error("rate-limit store: closed"), false);
  }

  #open(): void {
    const socket: Socket = connect({
      host: this.#host,
      port: this.#port,
      noDelay: true,
      onread: { buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES), callback: (bytes: number, buffer: Uint8Array): boolean => this.#read(socket, buffer as Buffer, bytes) },
    });
    this.#socket = socket;
    this.#rest = null;
    if (this.#hello !== "") {
      // AUTH/SELECT go first; a failed one shows in the replies of the commands after it.
      const count = (this.#hello.match(/^\*/gm) ?? []).length;
      const ignored: ReplyWaiter = { resolve: () => undefined, reject: () => undefined };
      for (let i = 0; i < count; i++) {
        this.#waiters.push(ignored);
        this.#deadlines.push(Date.now() + this.#timeoutMs);
      }
      this.#out = this.#hello + this.#out;
    }
    socket.on("connect", () => {
      this.#failures = 0;
    });
    socket.on("error", (error) => this.#lost(socket, error));
    socket.on("close", () => this.#lost(socket, new Error("rate-limit store: connection to Redis closed")));
  }

  readonly #flush = (): void => {
    this.#flushing = false;
    const out = this.#out;
    this.#out = "";
    if (out !== "" && this.#socket !== null) this.#socket.write(out);
  };

  /** Always true: the socket keeps reading (false would pause it). */
  #read(socket: Socket, chunk: Buffer, bytes: number): true {
    if (socket !== this.#socket) return true;
    // `chunk` is the socket's own buffer, overwritten by the next read: what stays is copied.
    const buffer = this.#rest === null ? chunk.subarray(0, bytes) : Buffer.concat([this.#rest, chunk.subarray(0, bytes)]);
    let offset = 0;
    for (;;) {
      let reply: Reply | typeof INCOMPLETE;
      try {
        reply = parse(buffer, offset);
      } catch (error) {
        this.#lost(socket, error as Error);
        return true;
      }
      if (reply === INCOMPLETE) break;
      offset = parsedEnd;
      const waiter = this.#waiters[this.#head++];
      if (waiter === undefined) {
        this.#lost(socket, new Error("rate-limit store: a reply nobody asked for"));
        return true;
      }
      if (reply instanceof ReplyError) waiter.reject(reply);
      else waiter.resolve(reply);
      if (socket !== this.#socket) return true; // a waiter closed the connection
    }
    this.#rest = offset < buffer.length ? Buffer.from(buffer.subarray(offset)) : null;
    // The script's replies are a few dozen bytes per decision: a reply this large is not one of ours.
    if (this.#rest !== null && this.#rest.length > MAX_PENDING_BYTES) {
      this.#lost(socket, new Error("rate-limit store: a Redis reply larger than 1 MiB"));
      return true;
    }
    if (this.#head === this.#waiters.length) {
      this.#waiters = [];
      this.#deadlines = [];
      this.#head = 0;
    } else if (this.#head > 1024) {
      this.#waiters = this.#waiters.slice(this.#head);
      this.#deadlines = this.#deadlines.slice(this.#head);
      this.#head = 0;
    }
    return true;
  }

  /** One timer for every pending command: it fires at the oldest one's deadline. */
  #arm(): void {
    const oldest = this.#deadlines[this.#head];
    if (oldest === undefined) {
      this.#timer = null;
      return;
    }
    this.#timer = setTimeout(this.#check, Math.max(1, oldest - Date.now()));
    this.#timer.unref();
  }

  readonly #check = (): void => {
    this.#timer = null;
    const oldest = this.#deadlines[this.#head];
    if (oldest !== undefined && oldest <= Date.now()) {
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
    this.#deadlines = [];
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
