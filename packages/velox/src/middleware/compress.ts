import { Readable } from "node:stream";
import { VeloxError } from "../errors.ts";
import type { RequestContext } from "../context.ts";
import { VeloxResponse } from "../responses/response.ts";
import { StreamingResponse } from "../responses/stream.ts";
import { isBodylessStatus } from "../status.ts";
import { negotiateEncoding, type Coding } from "./accept-encoding.ts";
import { compressBody, compressStream, type CodecOptions } from "./compress-codec.ts";
import { isCompressible, mediaTypeOf } from "./compressible.ts";
import { middlewarePlugin, type MiddlewarePlugin } from "./hook-types.ts";
import { appendVary } from "./vary.ts";

/** Options of {@link compress}. */
export interface CompressOptions {
  /** Codings offered, in order of preference on equal q-values (default `["br", "gzip"]`). */
  encodings?: readonly Coding[];
  /** Smallest body compressed, in bytes (default 1000, as Starlette's GZipMiddleware). */
  minimumSize?: number;
  /** gzip level 1–9 (default 6). */
  gzipLevel?: number;
  /** Brotli quality 0–11 (default 4). */
  brotliQuality?: number;
  /** Which media types to compress (default: text and structured text; see `isCompressible`). */
  filter?: (mediaType: string) => boolean;
  /**
   * Compress `text/event-stream` too, flushing after every event (default false: SSE is sent
   * uncompressed, as Starlette does, because a proxy or compressor holding events back breaks it).
   */
  sse?: boolean;
  /** Flush after every chunk of every streaming response, for streams read as they arrive (default false). */
  flushStreams?: boolean;
}

interface Settings extends CodecOptions {
  encodings: readonly Coding[];
  minimumSize: number;
  filter: (mediaType: string) => boolean;
  sse: boolean;
  flushStreams: boolean;
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new VeloxError("VX_INVALID_OPTION", `compress: ${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function resolve(options: CompressOptions): Settings {
  const encodings = options.encodings ?? ["br", "gzip"];
  if (encodings.length === 0 || encodings.some((e) => e !== "br" && e !== "gzip")) {
    throw new VeloxError("VX_INVALID_OPTION", `compress: encodings must be a non-empty list of "br" and "gzip", got ${JSON.stringify(encodings)}`);
  }
  return {
    encodings: [...new Set(encodings)],
    minimumSize: checkInteger("minimumSize", options.minimumSize ?? 1000, 0, Number.MAX_SAFE_INTEGER),
    gzipLevel: checkInteger("gzipLevel", options.gzipLevel ?? 6, 1, 9),
    brotliQuality: checkInteger("brotliQuality", options.brotliQuality ?? 4, 0, 11),
    filter: options.filter ?? isCompressible,
    sse: options.sse ?? false,
    flushStreams: options.flushStreams ?? false,
  };
}

/** `W/"x"` for a strong `"x"`: the compressed bytes are another representation of the same content. */
function weakenEtag(response: VeloxResponse): void {
  const etag = response.headers.etag;
  if (typeof etag === "string" && etag.startsWith('"')) response.headers.etag = `W/${etag}`;
}

function byteLength(body: string | Buffer): number {
  return typeof body === "string" ? Buffer.byteLength(body) : body.length;
}

/** True for the plain streaming response, whose source can be wrapped; custom writers are left alone. */
function isPlainStream(response: VeloxResponse): response is StreamingResponse {
  return response instanceof StreamingResponse && Object.getPrototypeOf(response).write === StreamingResponse.prototype.write;
}

/**
 * The part of the decision that does not depend on the client: could this response be compressed?
 * Returns whether to flush per chunk, or null to leave the response alone.
 */
function eligible(settings: Settings, ctx: RequestContext, response: VeloxResponse): { flush: boolean } | null {
  const headers = response.headers;
  if (headers["content-encoding"] !== undefined || isBodylessStatus(response.status) || response.status === 206) return null;
  if (headers["content-range"] !== undefined || ctx.req.method === "CONNECT") return null;
  const cacheControl = headers["cache-control"];
  if (cacheControl !== undefined && /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(String(cacheControl))) return null;
  const type = mediaTypeOf(headers["content-type"]);
  const sse = type === "text/event-stream";
  if (sse ? !settings.sse : !settings.filter(type)) return null;
  if (response.body !== null) {
    if (response.body.length < settings.minimumSize && byteLength(response.body) < settings.minimumSize) return null;
    return { flush: false };
  }
  if (!isPlainStream(response)) return null;
  const declared = Number(headers["content-length"]);
  if (headers["content-length"] !== undefined && declared < settings.minimumSize) return null;
  return { flush: sse || settings.flushStreams };
}

function compressed(settings: Settings, response: VeloxResponse, coding: Coding, flush: boolean): void | VeloxResponse | Promise<void> {
  response.headers["content-encoding"] = coding;
  weakenEtag(response);
  if (response.body !== null) {
    const body = typeof response.body === "string" ? Buffer.from(response.body) : response.body;
    const out = compressBody(body, coding, settings);
    const apply = (bytes: Buffer) => {
      response.body = bytes;
      response.headers["content-length"] = String(bytes.length);
    };
    if (out instanceof Promise) return out.then(apply);
    apply(out);
    return;
  }
  const stream = response as StreamingResponse;
  const source = stream.source instanceof Readable ? stream.source : Readable.from(stream.source, { objectMode: false });
  const replacement = new StreamingResponse(compressStream(source, coding, settings, flush), { status: response.status });
  const headers = replacement.headers;
  for (const key of Object.keys(headers)) delete headers[key];
  Object.assign(headers, response.headers);
  delete headers["content-length"];
  return replacement;
}

/**
 * Compresses responses with Brotli or gzip (node:zlib) as the client's `Accept-Encoding` allows,
 * honouring q-values, `q=0` and `*`. Bodies under `minimumSize` (1000 bytes), media types that are
 * already compressed (images, archives, `application/octet-stream`), responses that already carry
 * a `Content-Encoding`, ranges, `Cache-Control: no-transform` and Server-Sent Events (unless `sse`)
 * are sent as they are. Every response that could be compressed gets `Vary: Accept-Encoding`,
 * whether or not this client accepted a coding, so caches keep the variants apart; a strong ETag
 * becomes weak. Streaming responses are compressed chunk by chunk with backpressure. Runs as one
 * `onSend` hook.
 *
 * @example
 * ```ts
 * import { compress } from "velox/middleware/compress";
 * app.register(compress({ minimumSize: 1000 }));
 * ```
 */
export function compress(options: CompressOptions = {}): MiddlewarePlugin {
  const settings = resolve(options);
  return middlewarePlugin("compress", {
    onSend(ctx, response) {
      const decision = eligible(settings, ctx, response);
      if (decision === null) return;
      appendVary(response.headers, "Accept-Encoding");
      const coding = negotiateEncoding(ctx.req.headers["accept-encoding"], settings.encodings);
      if (coding === null) return;
      return compressed(settings, response, coding, decision.flush);
    },
  });
}

/**
 * gzip only, as FastAPI's `GZipMiddleware(minimum_size=1000, compresslevel=...)`.
 *
 * @example
 * ```ts
 * import { gzip } from "velox/middleware/compress";
 * app.register(gzip({ minimumSize: 1000, gzipLevel: 9 }));
 * ```
 */
export function gzip(options: Omit<CompressOptions, "encodings"> = {}): MiddlewarePlugin {
  return compress({ ...options, encodings: ["gzip"] });
}
