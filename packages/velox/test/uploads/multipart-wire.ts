/**
 * Builds multipart/form-data bodies byte by byte, including broken ones, and sends them over a
 * raw socket; tracks what the server read from each connection.
 */
import { readdir } from "node:fs/promises";
import type { Server } from "node:http";
import type { Socket } from "node:net";

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const BOUNDARY = "----velox-test-boundary-7MA4YWxkTrZu0gW";

/** One part: a text field (no `filename`), a file, or raw header lines for hostile cases. */
export interface PartSpec {
  name?: string;
  filename?: string;
  contentType?: string;
  /** Replaces the generated header lines entirely. */
  rawHeaders?: string;
  body?: string | Buffer;
}

export function partHead(part: PartSpec): string {
  if (part.rawHeaders !== undefined) return part.rawHeaders;
  let disposition = "Content-Disposition: form-data";
  if (part.name !== undefined) disposition += `; name="${part.name}"`;
  if (part.filename !== undefined) disposition += `; filename="${part.filename}"`;
  const lines = [disposition];
  if (part.contentType !== undefined) lines.push(`Content-Type: ${part.contentType}`);
  return lines.join("\r\n");
}

/**
 * A multipart body. `close: false` leaves out the closing delimiter; `preamble`/`epilogue` add
 * bytes before the first and after the last boundary.
 */
export function multipartBody(parts: PartSpec[], options: { boundary?: string; close?: boolean; preamble?: string | Buffer; epilogue?: string | Buffer } = {}): Buffer {
  const boundary = options.boundary ?? BOUNDARY;
  const chunks: Buffer[] = [];
  if (options.preamble !== undefined) chunks.push(Buffer.from(options.preamble), Buffer.from("\r\n"));
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${partHead(part)}\r\n\r\n`, "utf8"));
    chunks.push(Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body ?? "", "utf8"));
    chunks.push(Buffer.from("\r\n"));
  }
  if (options.close !== false) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  if (options.epilogue !== undefined) chunks.push(Buffer.from(options.epilogue));
  return Buffer.concat(chunks);
}

export function multipartType(boundary = BOUNDARY): string {
  return `multipart/form-data; boundary=${boundary}`;
}

/** The head of a POST with a multipart body of `length` bytes (or chunked when `length` is null). */
export function multipartHead(path: string, length: number | null, boundary = BOUNDARY, extra = ""): string {
  const framing = length === null ? "Transfer-Encoding: chunked" : `Content-Length: ${length}`;
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${multipartType(boundary)}\r\n${framing}\r\n${extra}\r\n`;
}

/** Remembers the sockets a server accepted, to read how many bytes it took from each. */
export function trackSockets(server: Server): { last(): Socket; all: Socket[]; readWhenAnswered(): number } {
  const all: Socket[] = [];
  const readAtEnd = new WeakMap<Socket, number>();
  server.on("connection", (socket: Socket) => {
    all.push(socket);
    // The server ends its side with its answer, then drops what the client still sends (a lingering
    // close): what it had read when it ended is what it read to decide.
    const end = socket.end.bind(socket) as (...args: unknown[]) => Socket;
    socket.end = ((...args: unknown[]) => {
      if (!readAtEnd.has(socket)) readAtEnd.set(socket, socket.bytesRead);
      return end(...args);
    }) as Socket["end"];
  });
  const last = () => all[all.length - 1]!;
  return {
    all,
    last,
    readWhenAnswered: () => {
      const read = readAtEnd.get(last());
      if (read === undefined) throw new Error("the server has not ended its side of the connection");
      return read;
    },
  };
}

/** The files left in a directory (temp files that were not cleaned up). */
export async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** Waits until `check` holds (polling), failing with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (await check()) return;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
