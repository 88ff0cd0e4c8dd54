import type { IncomingMessage } from "node:http";
import { ProtocolError } from "../errors.ts";
import { refuseRestOfBody } from "./refused-body.ts";

/**
 * The 413 for a body over `limit` bytes; it closes the connection (see {@link refuseRestOfBody}).
 *
 * @example
 * ```ts
 * sink.bodyFailed(bodyTooLarge(1024 * 1024));
 * ```
 */
export const bodyTooLarge = (limit: number): ProtocolError =>
  new ProtocolError(413, `Request body is larger than ${limit} bytes`, { connection: "close" });

/** Raised when the client goes away before the body is complete: there is nobody to answer. */
export class ClientAbortedError extends Error {
  constructor() {
    super("Client closed the connection before the request body was complete");
    this.name = "ClientAbortedError";
  }
}

/** True when the request announces no body at all (no length, no chunked encoding). */
export function hasNoBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  if (length !== undefined) return length === "0";
  return req.headers["transfer-encoding"] === undefined;
}

/** Receives the outcome of one body read, exactly once. */
export interface BodySink {
  bodyRead(body: Buffer): void;
  bodyFailed(error: Error): void;
}

/**
 * Reads the whole body into one buffer, refusing more than `limit` bytes: at once from
 * Content-Length, or as soon as a chunked stream passes it (the connection is then closed, after
 * the answer: see {@link refuseRestOfBody}).
 * The sink hears the outcome; no promise is made, so a caller that needs none pays for none.
 *
 * @example
 * ```ts
 * readBodyInto(req, 1024 * 1024, { bodyRead: (bytes) => use(bytes), bodyFailed: (err) => reply(err) });
 * ```
 */
export function readBodyInto(req: IncomingMessage, limit: number, sink: BodySink): void {
  // Runtimes whose requests hold the body themselves (Bun) read it their own way.
  const whole = (req as { readWholeBody?: (limit: number, sink: BodySink) => void }).readWholeBody;
  if (whole !== undefined) return whole.call(req, limit, sink);
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) {
    refuseRestOfBody(req);
    sink.bodyFailed(bodyTooLarge(limit));
  } else new BodyReader(req, limit, sink).start();
}

/**
 * {@link readBodyInto} as a promise.
 *
 * @example
 * ```ts
 * const bytes = await readBody(req, 1024 * 1024);
 * ```
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => readBodyInto(req, limit, { bodyRead: resolve, bodyFailed: reject }));
}

/**
 * Collects one body. A class with bound methods rather than closures: the hot path allocates no
 * named functions per request (under tsx each one would also pay for keeping its name). Listeners
 * use `on`, not `once`: `settled` already makes them fire once, and `once` costs a wrapper each.
 */
class BodyReader {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private settled = false;

  constructor(
    private readonly req: IncomingMessage,
    private readonly limit: number,
    private readonly sink: BodySink,
  ) {}

  start(): void {
    const req = this.req;
    req.on("data", this.onData.bind(this));
    req.on("end", this.onEnd.bind(this));
    req.on("error", this.onError.bind(this));
    req.on("close", this.onClose.bind(this));
  }

  private onData(chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.limit) {
      this.settled = true;
      this.chunks.length = 0;
      this.req.pause();
      refuseRestOfBody(this.req);
      this.sink.bodyFailed(bodyTooLarge(this.limit));
      return;
    }
    this.chunks.push(chunk);
  }

  private onEnd(): void {
    if (this.settled) return;
    this.settled = true;
    const chunks = this.chunks;
    this.sink.bodyRead(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.size));
  }

  private onError(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.sink.bodyFailed(err instanceof ProtocolError ? err : new ClientAbortedError());
  }

  private onClose(): void {
    if (this.settled) return;
    this.settled = true;
    this.sink.bodyFailed(new ClientAbortedError());
  }
}
