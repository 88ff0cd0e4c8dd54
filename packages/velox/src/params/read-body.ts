import type { IncomingMessage } from "node:http";
import { ProtocolError } from "../errors.ts";

const tooLarge = (limit: number) =>
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

/**
 * Reads the whole body into one buffer, refusing more than `limit` bytes: at once from
 * Content-Length, or as soon as a chunked stream passes it (the connection is then closed).
 *
 * @example
 * ```ts
 * const bytes = await readBody(req, 1024 * 1024);
 * ```
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onClose = () => {
      cleanup();
      reject(new ClientAbortedError());
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err instanceof ProtocolError ? err : new ClientAbortedError());
    };
    function cleanup() {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    }
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
