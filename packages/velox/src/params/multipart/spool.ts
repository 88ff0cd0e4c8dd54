import { close, open, write, writev } from "node:fs";
import { Writable } from "node:stream";
import type { TempFiles } from "./temp-files.ts";

const NONE: Buffer[] = [];

/** The chunks left after `written` bytes went out (a short write to a regular file is rare, not impossible). */
function remainder(chunks: Buffer[], written: number): Buffer[] {
  if (chunks.length === 1 && written === chunks[0]!.length) return NONE;
  let i = 0;
  while (i < chunks.length && written >= chunks[i]!.length) written -= chunks[i++]!.length;
  if (i === chunks.length) return NONE;
  return [chunks[i]!.subarray(written), ...chunks.slice(i + 1)];
}

/** Raised inside the parser when a part passes its byte cap. */
export class PartTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`part larger than ${limit} bytes`);
    this.name = "PartTooLargeError";
  }
}

/**
 * Receives one file part: keeps it in memory up to `threshold` bytes, then moves everything to a
 * temp file (mode 0600, created exclusively) and writes the rest there, with backpressure from the
 * disk. The chunk that would pass `limit` is refused, so at most `limit` bytes are ever kept.
 *
 * @example
 * ```ts
 * const spool = new SpoolWriter({ limit: 10 << 20, threshold: 1 << 20, temp });
 * await pipeline(fileStream, spool);
 * spool.buffer ?? spool.path; // where the content is
 * ```
 */
export class SpoolWriter extends Writable {
  size = 0;
  /** The temp file's path once spooled. */
  path: string | null = null;
  private chunks: Buffer[] = [];
  private fd: number | null = null;
  private readonly limit: number;
  private readonly threshold: number;
  private readonly temp: TempFiles;
  /** A disk operation is under way; `_destroy` waits for it so no file appears after cleanup. */
  private busy = false;
  private idle: (() => void) | null = null;

  constructor(options: { limit: number; threshold: number; temp: TempFiles }) {
    super({ highWaterMark: 256 * 1024 });
    this.limit = options.limit;
    this.threshold = options.threshold;
    this.temp = options.temp;
  }

  /** The content when it stayed in memory (after `finish`). */
  get buffer(): Buffer | null {
    if (this.path !== null) return null;
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.size + chunk.length > this.limit) {
      callback(new PartTooLargeError(this.limit));
      return;
    }
    this.size += chunk.length;
    if (this.fd === null && this.size <= this.threshold) {
      this.chunks.push(chunk);
      callback();
      return;
    }
    this.one[0] = chunk;
    this.toDisk(this.one, callback);
  }

  /** Reused for single-chunk writes. */
  private readonly one: Buffer[] = [];

  override _writev(entries: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    let bytes = 0;
    const chunks: Buffer[] = [];
    for (const e of entries) {
      bytes += e.chunk.length;
      chunks.push(e.chunk);
    }
    if (this.size + bytes > this.limit) {
      callback(new PartTooLargeError(this.limit));
      return;
    }
    this.size += bytes;
    if (this.fd === null && this.size <= this.threshold) {
      for (const c of chunks) this.chunks.push(c);
      callback();
      return;
    }
    this.toDisk(chunks, callback);
  }

  /** Writes to the temp file, creating it (with what memory held so far) on the first call. */
  private toDisk(chunks: Buffer[], callback: (error?: Error | null) => void): void {
    this.busy = true;
    this.pending = chunks;
    this.callback = callback;
    if (this.fd !== null) {
      this.writePending();
      return;
    }
    const path = this.temp.reserve();
    this.path = path;
    open(path, "wx", 0o600, (err, fd) => {
      if (err) return this.settleWrite(err);
      this.fd = fd;
      if (this.chunks.length > 0) this.pending = [...this.chunks, ...chunks];
      this.chunks = [];
      this.writePending();
    });
  }

  // One bound callback for every write: no closures per chunk on the path a 1 GiB upload takes.
  private pending: Buffer[] = NONE;
  private callback: ((error?: Error | null) => void) | null = null;

  private writePending(): void {
    const chunks = this.pending;
    if (chunks.length === 1) write(this.fd!, chunks[0]!, 0, chunks[0]!.length, null, this.onWritten);
    else writev(this.fd!, chunks, null, this.onWritten);
  }

  private readonly onWritten = (err: Error | null, written: number): void => {
    if (err) return this.settleWrite(err);
    const rest = remainder(this.pending, written);
    this.pending = rest;
    if (rest.length === 0) this.settleWrite(null);
    else this.writePending();
  };

  private settleWrite(err: Error | null): void {
    this.busy = false;
    this.pending = NONE;
    const callback = this.callback!;
    this.callback = null;
    const idle = this.idle;
    this.idle = null;
    if (idle !== null) idle();
    callback(err);
  }

  override _final(callback: (error?: Error | null) => void): void {
    const fd = this.fd;
    if (fd === null) {
      callback();
      return;
    }
    this.fd = null;
    close(fd, (err) => callback(err));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Also called after a normal finish (autoDestroy): the content stays readable then.
    if (error !== null) this.chunks = [];
    const release = () => {
      const fd = this.fd;
      this.fd = null;
      if (fd === null) callback(error);
      else close(fd, () => callback(error));
    };
    if (this.busy) this.idle = release;
    else release();
  }
}
