import { write, writeSync } from "node:fs";

/** Bytes gathered before a write is started at once. */
const FLUSH_AT = 64 * 1024;
/**
 * Longest a line waits to be written. One `fs.write` hands a chunk to libuv's thread pool, which
 * costs several microseconds; once per turn of a busy event loop that is a few requests' worth.
 */
const FLUSH_MS = 20;
/** Lines beyond this much unwritten text are dropped (and counted) rather than grow memory. */
const MAX_PENDING = 16 * 1024 * 1024;

/**
 * An asynchronous line writer for a file descriptor: lines are appended to one string and written
 * with one `fs.write` every 20 ms (or per 64 KiB), off the request path; what is left is
 * written synchronously at exit. It exists because sonic-boom's asynchronous mode (pino's) costs
 * about 3 µs of CPU per line here — as much as a fifth of a small request — where appending to a
 * string costs tens of nanoseconds. A descriptor that cannot keep up (EAGAIN on a full pipe) is
 * retried; past 16 MiB waiting, lines are dropped and `dropped` counts them.
 *
 * @example
 * ```ts
 * const out = new BatchedWriter(2);
 * out.write('{"msg":"hello"}\n');
 * ```
 */
export class BatchedWriter {
  /** Lines dropped because the descriptor fell 16 MiB behind. */
  dropped = 0;
  private pending = "";
  private writing = false;
  private scheduled = false;
  private readonly flushSoon = (): void => {
    this.scheduled = false;
    this.flush();
  };

  constructor(readonly fd: number) {
    process.once("exit", () => this.flushSync());
  }

  /** Queues `line` (which ends with a newline). */
  write(line: string): boolean {
    if (this.pending.length > MAX_PENDING) {
      this.dropped++;
      return false;
    }
    this.pending += line;
    if (this.pending.length >= FLUSH_AT) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(this.flushSoon, FLUSH_MS).unref();
    }
    return true;
  }

  private flush(): void {
    if (this.writing || this.pending.length === 0) return;
    const chunk = this.pending;
    this.pending = "";
    this.writing = true;
    const done = (err: NodeJS.ErrnoException | null, written: number): void => {
      const bytes = Buffer.byteLength(chunk);
      if (err !== null && err.code !== "EAGAIN") {
        this.writing = false;
        return;
      }
      const rest = err === null && written < bytes ? Buffer.from(chunk).subarray(written).toString() : err !== null ? chunk : "";
      this.pending = rest + this.pending;
      this.writing = false;
      if (err !== null) setTimeout(() => this.flush(), 10).unref();
      else if (this.pending.length > 0) this.flush();
    };
    write(this.fd, chunk, null, "utf8", done);
  }

  /** Writes everything pending now (at exit, or before a crash report). */
  flushSync(): void {
    if (this.pending.length === 0) return;
    const chunk = this.pending;
    this.pending = "";
    let buffer = Buffer.from(chunk);
    for (let tries = 0; buffer.length > 0 && tries < 1000; tries++) {
      try {
        buffer = buffer.subarray(writeSync(this.fd, buffer));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EAGAIN") return;
      }
    }
  }
}
