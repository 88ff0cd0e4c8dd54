import { Readable, pipeline } from "node:stream";
import {
  brotliCompress, brotliCompressSync, constants, createBrotliCompress, createGzip, gzip, gzipSync,
  type BrotliOptions, type ZlibOptions,
} from "node:zlib";
import type { Coding } from "./accept-encoding.ts";

/** Compression settings shared by buffered and streamed bodies. */
export interface CodecOptions {
  /** gzip level 1–9 (default 6, zlib's own default). */
  gzipLevel: number;
  /** Brotli quality 0–11 (default 4: near gzip's speed with smaller output; 11 is for static assets). */
  brotliQuality: number;
}

/** Bodies up to this size compress on the request's own turn; larger ones on libuv's thread pool. */
export const SYNC_LIMIT = 64 * 1024;

function brotliOptions(options: CodecOptions, size: number | null, flush: boolean): BrotliOptions {
  const params: Record<number, number> = {
    [constants.BROTLI_PARAM_QUALITY]: options.brotliQuality,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
  };
  if (size !== null) params[constants.BROTLI_PARAM_SIZE_HINT] = size;
  return flush ? { params, flush: constants.BROTLI_OPERATION_FLUSH } : { params };
}

function gzipOptions(options: CodecOptions, flush: boolean): ZlibOptions {
  return flush ? { level: options.gzipLevel, flush: constants.Z_SYNC_FLUSH } : { level: options.gzipLevel };
}

function promised(run: (cb: (err: Error | null, out: Buffer) => void) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => run((err, out) => (err ? reject(err) : resolve(out))));
}

/**
 * Compresses a whole body: synchronously up to {@link SYNC_LIMIT} bytes (a few hundred
 * microseconds, cheaper than a thread-pool round trip), asynchronously beyond, so a large body
 * does not stall the event loop.
 *
 * @example
 * ```ts
 * const out = compressBody(Buffer.from(json), "gzip", { gzipLevel: 6, brotliQuality: 4 });
 * ```
 */
export function compressBody(body: Buffer, coding: Coding, options: CodecOptions): Buffer | Promise<Buffer> {
  if (coding === "gzip") {
    const opts = gzipOptions(options, false);
    return body.length <= SYNC_LIMIT ? gzipSync(body, opts) : promised((cb) => gzip(body, opts, cb));
  }
  const opts = brotliOptions(options, body.length, false);
  return body.length <= SYNC_LIMIT ? brotliCompressSync(body, opts) : promised((cb) => brotliCompress(body, opts, cb));
}

/**
 * Compresses a stream: the source is piped through the compressor, so a slow client pauses the
 * producer (backpressure), and a closed connection destroys the source (an async generator's
 * `finally` runs). With `flush`, the compressor flushes after every chunk the source yields, so
 * each Server-Sent Event or JSON line reaches the client at once instead of waiting in zlib.
 *
 * @example
 * ```ts
 * const body = compressStream(Readable.from(events()), "gzip", { gzipLevel: 6, brotliQuality: 4 }, true);
 * ```
 */
export function compressStream(source: Readable, coding: Coding, options: CodecOptions, flush: boolean): Readable {
  const compressor = coding === "gzip" ? createGzip(gzipOptions(options, flush)) : createBrotliCompress(brotliOptions(options, null, flush));
  // Errors reach the consumer through the compressor, which pipeline destroys with the error.
  pipeline(source, compressor, () => {});
  return compressor;
}
