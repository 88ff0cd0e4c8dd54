import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "../logger.ts";
import { statusText } from "../status.ts";

const STATUS_BY_CODE: Record<string, number> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
};

/** Errors that mean the peer went away: nothing to answer, nothing worth logging. */
const GONE = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT"]);

function rawResponse(status: number): string {
  const body = JSON.stringify({ detail: statusText(status) });
  return `HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * Node's `clientError` listener, answering what the HTTP parser rejects — slow headers or body
 * (408), an oversized head (431), malformed requests (400) — with FastAPI's JSON error body, and
 * never writing over a response the app has begun.
 *
 * @example
 * ```ts
 * server.on("clientError", createClientErrorHandler(gate.active, logger));
 * ```
 */
export function createClientErrorHandler(active: ReadonlySet<ServerResponse>, logger: Logger): (err: Error & { code?: string }, socket: Socket) => void {
  return (err, socket) => {
    const code = err.code ?? "";
    if (GONE.has(code) || !socket.writable) {
      socket.destroy();
      return;
    }
    for (const res of active) {
      if (res.socket === socket && res.headersSent) {
        socket.destroy();
        return;
      }
    }
    const status = STATUS_BY_CODE[code] ?? 400;
    if (status === 400) logger.debug?.({ code, err }, "malformed request");
    socket.end(rawResponse(status));
  };
}
