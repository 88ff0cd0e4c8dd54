import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * A response writer that takes a whole stream at once instead of being written to: the runtime
 * seam for runtimes whose responses are values (Bun's `Response` with a `ReadableStream` body).
 * node's `ServerResponse` is a Writable and takes chunks.
 *
 * @example
 * ```ts
 * if (isStreamSink(res)) await res.sendStream(readable); else await pipeline(readable, res);
 * ```
 */
export interface StreamSink {
  /** Sends the head already set with `writeHead`, then `source` as the body, with backpressure. */
  sendStream(source: Readable): Promise<void>;
}

/**
 * True when `res` takes streams whole (see {@link StreamSink}).
 *
 * @example
 * ```ts
 * isStreamSink(res); // false for node's ServerResponse
 * ```
 */
export function isStreamSink(res: unknown): res is StreamSink {
  return typeof (res as Partial<StreamSink>).sendStream === "function";
}

/**
 * Streams `source` into the response with backpressure on either runtime; a source error after
 * the head went out ends the connection. Resolves when the body is written or the client left.
 *
 * @example
 * ```ts
 * res.writeHead(200, { "content-type": "text/plain" });
 * await pipeBody(res, Readable.from(["a", "b"]));
 * ```
 */
export async function pipeBody(res: ServerResponse, source: Readable | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): Promise<void> {
  const readable = source instanceof Readable ? source : Readable.from(source, { objectMode: false });
  if (isStreamSink(res)) return res.sendStream(readable);
  try {
    await pipeline(readable, res);
  } catch {
    if (!res.destroyed) res.destroy();
  }
}
