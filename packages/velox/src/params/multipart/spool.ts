import { open, type FileHandle } from "node:fs/promises";
import { Writable } from "node:stream";
import type { TempFiles } from "./temp-files.ts";

/** The chunks left after `written` bytes went out (a short write to a regular file is rare, not impossible). */
function remainder(chunks: Buffer[], written: number): Buffer[] {
  let i = 0;
  while (i < chunks.length && written >= chunks[i]!.length) written -= chunks[i++]!.length;
  if (i === chunks.length) return [];
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
  private handle: FileHandle | null = null;
  private readonly limit: number;
  private readonly threshold: number;
  private readonly temp: TempFiles;
  /** The disk operation under way, which `_destroy` waits for so no file appears after cleanup. */
  private inflight: Promise<void> | null = null;

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
    this.accept([chunk], callback);
  }

  override _writev(entries: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.accept(entries.map((e) => e.chunk), callback);
  }

  private accept(chunks: Buffer[], callback: (error?: Error | null) => void): void {
    let bytes = 0;
    for (const c of chunks) bytes += c.length;
    if (this.size + bytes > this.limit) {
      callback(new PartTooLargeError(this.limit));
      return;
    }
    this.size += bytes;
    if (this.handle === null && this.size <= this.threshold) {
      for (const c of chunks) this.chunks.push(c);
      callback();
      return;
    }
    const op = this.toDisk(chunks);
    this.inflight = op.then(() => undefined, () => undefined);
    op.then(() => callback(), callback);
  }

  private async toDisk(chunks: Buffer[]): Promise<void> {
    if (this.handle === null) {
      const path = this.temp.reserve();
      this.path = path;
      this.handle = await open(path, "wx", 0o600);
      chunks = [...this.chunks, ...chunks];
      this.chunks = [];
    }
    let pending = chunks;
    for (;;) {
      const { bytesWritten } = await this.handle.writev(pending);
      pending = remainder(pending, bytesWritten);
      if (pending.length === 0) return;
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    const handle = this.handle;
    if (handle === null) {
      callback();
      return;
    }
    this.handle = null;
    handle.close().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Also called after a normal finish (autoDestroy): the content stays readable then.
    if (error !== null) this.chunks = [];
    const close = async () => {
      if (this.inflight !== null) await this.inflight;
      const handle = this.handle;
      this.handle = null;
      if (handle !== null) await handle.close().catch(() => undefined);
    };
    close().then(() => callback(error));
  }
}
