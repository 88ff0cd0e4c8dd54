import { Readable } from "node:stream";
import { bodyTooLarge, type BodySink } from "../../params/read-body.ts";
import type { BunServer } from "./bun-types.ts";

type NodeHeaders = Record<string, string | string[] | undefined>;

/** Headers node keeps only the first of when repeated (node's `IncomingMessage.headers` rules). */
const SINGLE = new Set(["age", "authorization", "content-length", "content-type", "etag", "expires", "from", "host", "if-modified-since", "if-unmodified-since", "last-modified", "location", "max-forwards", "proxy-authorization", "referer", "retry-after", "server", "user-agent"]);

function nodeHeaders(headers: Headers): NodeHeaders {
  const out: NodeHeaders = Object.create(null);
  headers.forEach((value, name) => {
    // Bun joins repeated fields with ", " (RFC 9110 list syntax); node keeps the first of a few.
    out[name] = SINGLE.has(name) && value.includes(", ") ? value.slice(0, value.indexOf(", ")) : value;
  });
  const cookies = (headers as Headers & { getSetCookie?: () => string[] }).getSetCookie?.();
  if (cookies && cookies.length > 0) out["set-cookie"] = cookies;
  return out;
}

/**
 * The request target's path and query from Bun's `request.url`: absolute (`http://host/p?q`)
 * when the request named a usable Host, but only the path (`/p?q`) without one (HTTP/1.0) or
 * with one Bun cannot use (empty, with a space or a slash).
 */
export function pathOf(url: string): string {
  // Regression: the path alone was cut after its first segment ("/json" became "/", "/a/b" "/b").
  if (url.charCodeAt(0) === 47 /* "/" */) return url;
  const slash = url.indexOf("/", url.indexOf("//") + 2);
  return slash === -1 ? "/" : url.slice(slash);
}

const ignore = (): void => {};


/**
 * node's `IncomingMessage` as Velox reads it, over a Bun `Request`, built lazily: the path is cut
 * from the URL once, and headers, the client address and the body stream are only made when
 * something reads them (a route that reads no header builds no header object).
 *
 * @example
 * ```ts
 * const req = new BunRequestView(request, server);
 * req.url;                 // "/items/5?q=x"
 * req.headers["x-token"];  // the Headers object is read now
 * ```
 */
export class BunRequestView {
  readonly method: string;
  readonly url: string;
  readonly httpVersion = "1.1";
  readonly httpVersionMajor = 1;
  readonly httpVersionMinor = 1;
  /** The Bun request underneath. */
  readonly request: Request;
  private readonly server: BunServer;
  private headerObject: NodeHeaders | null = null;
  private stream: Readable | null = null;
  private address: { remoteAddress: string | undefined; remotePort: number | undefined; encrypted: boolean } | null = null;
  /** True while `readWholeBody` waits for the body. */
  bodyPending = false;
  /** Told once the pending body has been read or has failed (the response sink, to watch the client only then). */
  bodyWatcher: { bodyDone(): void } | null = null;
  /** True once a reader stopped reading the body before its end (the response sink then keeps the connection). */
  bodyRefused = false;

  constructor(request: Request, server: BunServer) {
    this.request = request;
    this.server = server;
    this.method = request.method;
    this.url = pathOf(request.url);
  }

  get headers(): NodeHeaders {
    return (this.headerObject ??= nodeHeaders(this.request.headers));
  }

  get headersDistinct(): Record<string, string[]> {
    const out: Record<string, string[]> = Object.create(null);
    this.request.headers.forEach((value, name) => {
      out[name] = value.split(", ");
    });
    return out;
  }

  get rawHeaders(): string[] {
    const out: string[] = [];
    this.request.headers.forEach((value, name) => {
      for (const v of value.split(", ")) out.push(name, v);
    });
    return out;
  }

  /** The client's address, like `req.socket` (trustProxy reads it). */
  get socket(): { remoteAddress: string | undefined; remotePort: number | undefined; encrypted: boolean } {
    if (this.address === null) {
      const ip = this.server.requestIP(this.request);
      this.address = { remoteAddress: ip?.address, remotePort: ip?.port, encrypted: this.request.url.startsWith("https:") };
    }
    return this.address;
  }

  /** Aborted when the client goes away. */
  get signal(): AbortSignal {
    return this.request.signal;
  }

  /**
   * Reads the whole body within `limit` bytes (413 past it, from Content-Length or as it
   * streams) — the fast path for buffered body kinds.
   */
  readWholeBody(limit: number, sink: BodySink): void {
    const declared = this.headers["content-length"];
    if (declared !== undefined && Number(declared) > limit) return this.refuseTooLarge(limit, sink);
    const body = this.request.body;
    if (body === null) return sink.bodyRead(Buffer.alloc(0));
    this.bodyPending = true;
    if (declared !== undefined) {
      // The sink first: a route that answers at once has then nothing left for the watcher to watch.
      this.request.arrayBuffer().then(
        (bytes) => {
          try {
            sink.bodyRead(Buffer.from(bytes));
          } finally {
            this.bodyDone();
          }
        },
        (err: Error) => {
          try {
            sink.bodyFailed(err);
          } finally {
            this.bodyDone();
          }
        },
      );
      return;
    }
    void this.readLimited(body, limit, sink);
  }

  private bodyDone(): void {
    this.bodyPending = false;
    const watcher = this.bodyWatcher;
    this.bodyWatcher = null;
    watcher?.bodyDone();
  }

  private async readLimited(body: ReadableStream<Uint8Array>, limit: number, sink: BodySink): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > limit) {
          this.bodyDone();
          return this.refuseTooLarge(limit, sink);
        }
        chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      }
    } catch (err) {
      this.bodyDone();
      return sink.bodyFailed(err as Error);
    }
    this.bodyDone();
    sink.bodyRead(Buffer.concat(chunks, size));
  }

  private refuseTooLarge(limit: number, sink: BodySink): void {
    this.refuseRestOfBody();
    sink.bodyFailed(bodyTooLarge(limit));
  }

  /**
   * The body is not read to its end (see `refuseRestOfBody` in params): Bun resets a connection
   * that a `Connection: close` answer ends while body bytes are still arriving, and the client
   * then reads `EPIPE` instead of the answer. Without it, Bun sends the answer and drops the rest
   * of the body itself.
   */
  refuseRestOfBody(): void {
    this.bodyRefused = true;
  }

  /** The body as a node Readable, for streaming readers (`req.pipe(parser)`). */
  private readable(): Readable {
    if (this.stream === null) {
      const body = this.request.body;
      this.stream = body === null ? Readable.from([]) : Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
      // Regression: once the answer is sent Bun ends the body stream with "The connection was
      // closed"; a reader that had already let go left that error unheard, and it crashed the
      // worker. node's requests never throw an unheard error either.
      this.stream.on("error", ignore);
    }
    return this.stream;
  }

  on(event: string, listener: (...args: any[]) => void): this {
    this.readable().on(event, listener);
    return this;
  }

  once(event: string, listener: (...args: any[]) => void): this {
    this.readable().once(event, listener);
    return this;
  }

  off(event: string, listener: (...args: any[]) => void): this {
    this.stream?.off(event, listener);
    return this;
  }

  pipe<T extends NodeJS.WritableStream>(destination: T): T {
    return this.readable().pipe(destination);
  }

  pause(): this {
    this.stream?.pause();
    return this;
  }

  resume(): this {
    this.readable().resume();
    return this;
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this.readable()[Symbol.asyncIterator]();
  }
}
