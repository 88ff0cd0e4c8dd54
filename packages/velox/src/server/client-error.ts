import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "../logger.ts";
import { lingeringClose } from "../lingering-close.ts";
import { statusText } from "../status.ts";

const STATUS_BY_CODE: Record<string, number> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
};

/** Errors that mean the peer went away: nothing to answer, nothing worth logging. */
const GONE = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT"]);

/**
 * The response node is writing on a socket, or will write next: pipelined responses wait in
 * node's queue behind it and are attached one by one as each finishes. Node's own `clientError`
 * fallback reads the same field.
 */
type HttpSocket = Socket & { _httpMessage?: (ServerResponse & { req?: IncomingMessage }) | null };

/** Sockets whose client error is decided (node may report the same broken stream again). */
const settled = new WeakSet<Socket>();

function rawResponse(status: number): string {
  const body = JSON.stringify({ detail: statusText(status) });
  return `HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * Answers once every response still owed on the socket has gone out, in request order. Requests
 * parsed before the bad bytes are complete and get their own answers first; the error answer
 * follows them and closes the connection. The one exception is a request broken in the middle of
 * its own body: it can never complete, so the error is its answer (or, when its response has
 * already begun, the connection is cut — a second status line would corrupt it).
 */
function answerInTurn(socket: HttpSocket, status: number): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const owed = socket._httpMessage;
  if (owed === null || owed === undefined) {
    lingeringClose(socket, rawResponse(status));
    return;
  }
  if (owed.req !== undefined && !owed.req.complete) {
    if (owed.headersSent) socket.destroy();
    else lingeringClose(socket, rawResponse(status));
    return;
  }
  // Attached means node has not yet run its `finish` bookkeeping for it, so `close` is still to
  // come — a tick after `finish`, once node has attached the next queued response.
  owed.once("close", () => answerInTurn(socket, status));
}

/**
 * Node's `clientError` listener, answering what the HTTP parser rejects — slow headers or body
 * (408), an oversized head (431), malformed requests (400) — with FastAPI's JSON error body. It
 * never answers for a request whose response is still owed: with pipelining (a valid request
 * followed on the same connection by a malformed one, or a body with more bytes than its
 * Content-Length) the owed responses go out first, in order, then the error, then the
 * connection closes. Node's default writes its 400 at once, which the client reads as the answer
 * to the earlier request, and then destroys the socket under that request's real response.
 *
 * @example
 * ```ts
 * server.on("clientError", createClientErrorHandler(logger));
 * ```
 */
export function createClientErrorHandler(logger: Logger): (err: Error & { code?: string }, socket: Socket) => void {
  return (err, socket) => {
    const code = err.code ?? "";
    if (GONE.has(code)) {
      socket.destroy();
      return;
    }
    if (settled.has(socket)) return;
    settled.add(socket);
    // Nothing more is parsed from this connection; what was parsed before still gets answered.
    socket.pause();
    const status = STATUS_BY_CODE[code] ?? 400;
    if (status === 400) logger.debug?.({ code, err }, "malformed request");
    answerInTurn(socket as HttpSocket, status);
  };
}
