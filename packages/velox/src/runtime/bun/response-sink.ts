import type { Readable } from "node:stream";
import type { StreamSink } from "../stream-sink.ts";
import type { BunRequestView } from "./request-view.ts";

type HeaderValue = string | number | readonly string[];
type Listener = (this: unknown) => void;

// Most responses carry one header, their Content-Type (Bun adds Date and Content-Length): a
// Headers object per media type is built once and copied by Bun, instead of parsed from a record each time.
const byType = new Map<string, Headers>();
const MAX_CACHED_TYPES = 64;

function headersInit(headers: Record<string, HeaderValue>): ConstructorParameters<typeof Headers>[0] {
  let flat = true;
  let count = 0;
  for (const name in headers) {
    count++;
    if (typeof headers[name] === "object") flat = false;
  }
  const type = headers["content-type"];
  if (count === 1 && typeof type === "string") {
    let cached = byType.get(type);
    if (cached === undefined && byType.size < MAX_CACHED_TYPES) byType.set(type, (cached = new Headers({ "content-type": type })));
    if (cached !== undefined) return cached;
  }
  if (flat) return headers as Record<string, string>;
  const pairs: [string, string][] = [];
  for (const name in headers) {
    const value = headers[name]!;
    if (typeof value === "object") for (const v of value) pairs.push([name, v]);
    else pairs.push([name, String(value)]);
  }
  return pairs;
}

/**
 * node's `ServerResponse` as Velox writes it, producing a Bun `Response`: `writeHead` and `end`
 * build the `Response` in one go (a fixed-length body, no stream machinery), `sendStream` answers
 * with a `ReadableStream` body pulled with backpressure. `close` fires once the response is done
 * or the client went away, as on node.
 *
 * @example
 * ```ts
 * const res = new BunResponseSink(view);
 * app.handler(view, res);
 * return res.response ?? res.whenReady();
 * ```
 */
export class BunResponseSink implements StreamSink {
  statusCode = 200;
  statusMessage = "";
  headersSent = false;
  writableEnded = false;
  writableFinished = false;
  destroyed = false;
  closed = false;
  /**
   * Bun's `Response` computes Content-Length from the body itself: writers may skip measuring it
   * (`Buffer.byteLength` of a fresh JSON string was a tenth of the Bun path's time on `GET /users`).
   */
  readonly measuresBody = true;
  /** The finished response, once there is one. */
  response: Response | null = null;
  readonly req: BunRequestView;
  private readonly headerMap: Record<string, HeaderValue> = Object.create(null);
  private closeListeners: Listener[] | null = null;
  private finishListeners: Listener[] | null = null;
  private resolve: ((response: Response) => void) | null = null;
  /** @internal Called once when the response closes (the gate's in-flight count), after the close listeners. */
  onClosed: (() => void) | null = null;
  private readonly drain: { readonly isDraining: boolean } | null;

  /** `drain`: the server's gate; a response built once it drains gets `Connection: close`. */
  constructor(req: BunRequestView, drain: { readonly isDraining: boolean } | null = null) {
    this.req = req;
    this.drain = drain;
  }

  /** The response, as soon as the app has produced it. */
  whenReady(): Promise<Response> {
    if (this.response !== null) return Promise.resolve(this.response);
    // Bun builds a request's AbortSignal on first use, at a cost near the whole request's: while
    // the body is being read its reader reports a client that leaves, so watching starts after it
    // (most handlers have answered by then, and nothing is left to watch).
    if (this.req.bodyPending) this.req.bodyWatcher = this;
    else this.watchClient();
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  /** @internal The request body has been read: from now on a client that leaves ends the exchange. */
  bodyDone(): void {
    if (this.response === null) queueMicrotask(() => this.watchClient());
  }

  private watchClient(): void {
    if (this.response !== null || this.destroyed) return;
    const signal = this.req.signal;
    if (signal.aborted) this.clientGone();
    else signal.addEventListener("abort", () => this.clientGone(), { once: true });
  }

  setHeader(name: string, value: HeaderValue): this {
    this.headerMap[name.toLowerCase()] = value;
    return this;
  }

  getHeader(name: string): HeaderValue | undefined {
    return this.headerMap[name.toLowerCase()];
  }

  hasHeader(name: string): boolean {
    return name.toLowerCase() in this.headerMap;
  }

  removeHeader(name: string): void {
    delete this.headerMap[name.toLowerCase()];
  }

  getHeaders(): Record<string, HeaderValue> {
    return { ...this.headerMap };
  }

  /** As node's: `headers` is an object or node's flat `[name, value, name, value, ...]` list. */
  writeHead(status: number, headers?: Record<string, HeaderValue | undefined> | readonly HeaderValue[]): this {
    this.statusCode = status;
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) this.putHead(String(headers[i]), headers[i + 1] as HeaderValue);
    } else if (headers) {
      const map = headers as Record<string, HeaderValue | undefined>;
      for (const name in map) this.putHead(name, map[name]);
    }
    this.headersSent = true;
    return this;
  }

  private putHead(name: string, value: HeaderValue | undefined): void {
    // Bun computes Content-Length from the body itself.
    if (value !== undefined && name !== "content-length") this.headerMap[name.toLowerCase()] = value;
  }

  end(body?: string | Uint8Array | null, callback?: () => void): this {
    if (this.writableEnded) return this;
    this.headersSent = true;
    this.writableEnded = true;
    if (this.req.method === "HEAD") body = null;
    // Bun would reset the connection under a client still sending the body it refused (see the view).
    if (this.req.bodyRefused && this.headerMap["connection"] === "close") delete this.headerMap["connection"];
    if (this.drain !== null && this.drain.isDraining) this.headerMap["connection"] = "close";
    this.deliver(new Response(body ?? null, { status: this.statusCode, headers: headersInit(this.headerMap) }));
    this.writableFinished = true;
    this.emit(this.finishListeners);
    this.finishListeners = null;
    // node emits 'close' after 'finish'; with nobody listening yet there is nothing to defer.
    if (this.closeListeners === null) this.close();
    else queueMicrotask(() => this.close());
    callback?.();
    return this;
  }

  /** Sends `source` as the body, pulled as the client reads (backpressure); resolves when it is done or the client left. */
  sendStream(source: Readable): Promise<void> {
    this.headersSent = true;
    this.writableEnded = true;
    return new Promise<void>((done) => {
      const iterator = source[Symbol.asyncIterator]() as AsyncIterator<string | Uint8Array>;
      const finish = () => {
        this.writableFinished = true;
        this.emit(this.finishListeners);
        this.close();
        done();
      };
      const body = new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          try {
            const { value, done: ended } = await iterator.next();
            if (ended) {
              controller.close();
              finish();
            } else controller.enqueue(typeof value === "string" ? Buffer.from(value) : value);
          } catch (err) {
            controller.error(err);
            this.destroy();
            done();
          }
        },
        cancel: () => {
          source.destroy();
          this.destroy();
          done();
        },
      });
      if (this.drain !== null && this.drain.isDraining) this.headerMap["connection"] = "close";
      this.deliver(new Response(this.req.method === "HEAD" ? null : body, { status: this.statusCode, headers: headersInit(this.headerMap) }));
    });
  }

  /** Ends the exchange without a (complete) response: the client went away, or a stream failed. */
  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (this.response === null) this.deliver(new Response(null, { status: 500 }));
    this.close();
    return this;
  }

  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  on(event: string, listener: Listener): this {
    if (event === "close") {
      if (this.closed) queueMicrotask(() => listener.call(this));
      else (this.closeListeners ??= []).push(listener);
    } else if (event === "finish") {
      if (this.writableFinished) queueMicrotask(() => listener.call(this));
      else (this.finishListeners ??= []).push(listener);
    }
    return this;
  }

  off(event: string, listener: Listener): this {
    if (event === "close" && this.closeListeners) this.closeListeners = this.closeListeners.filter((l) => l !== listener);
    if (event === "finish" && this.finishListeners) this.finishListeners = this.finishListeners.filter((l) => l !== listener);
    return this;
  }

  removeListener(event: string, listener: Listener): this {
    return this.off(event, listener);
  }

  private clientGone(): void {
    if (!this.writableFinished) this.destroy();
  }

  private deliver(response: Response): void {
    if (this.response !== null) return;
    this.response = response;
    const resolve = this.resolve;
    this.resolve = null;
    resolve?.(response);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    const listeners = this.closeListeners;
    this.closeListeners = null;
    this.emit(listeners);
    const closed = this.onClosed;
    this.onClosed = null;
    closed?.();
  }

  private emit(listeners: Listener[] | null): void {
    if (listeners === null) return;
    // As node's EventEmitter does, listeners see the response as `this`.
    for (const listener of listeners) listener.call(this);
  }
}
