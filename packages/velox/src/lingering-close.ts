import type { Socket } from "node:net";

/** How long a connection closed by the server may wait for the client's FIN before it is cut. */
export const LINGER_MS = 2_000;

const drop = (): void => {};

/**
 * Closes a connection the way RFC 9112 §9.6 asks of a server that closes while the client may
 * still be sending: the answer goes out, then the write side is closed (FIN), and what the client
 * still sends is read and dropped until it closes its side, or for {@link LINGER_MS} at most.
 * Closing the socket outright with unread bytes in it makes the kernel send a reset, and a client
 * still writing its body then reads `EPIPE` or `ECONNRESET` instead of the answer.
 *
 * Takes the socket's readers away (node's HTTP parser too): nothing more is parsed from it.
 *
 * @example
 * ```ts
 * lingeringClose(socket, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
 * ```
 */
export function lingeringClose(socket: Socket, last?: string): void {
  if (last === undefined) socket.end();
  else socket.end(last);
  socket.removeAllListeners("data");
  socket.on("data", drop);
  socket.resume();
  const cut = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once("close", () => clearTimeout(cut));
}

type ClosableSocket = Socket & { destroySoon?: () => void };

function lingerInsteadOfDestroy(this: Socket): void {
  lingeringClose(this);
}

/**
 * Makes node's HTTP server close this connection with {@link lingeringClose} when a response
 * with `Connection: close` ends, instead of destroying it as soon as the response is written.
 * For answers given before the request's body was read to its end (a body over its limit, a
 * malformed upload): the rest of the body is still on its way.
 *
 * Node ends such a connection with `socket.destroySoon()`; an own method on this one socket takes
 * its place. A socket without it (a test double) is left alone.
 *
 * @example
 * ```ts
 * lingerWhenClosing(req.socket);
 * res.writeHead(413, { connection: "close" }).end(body);
 * ```
 */
export function lingerWhenClosing(socket: Socket | null | undefined): void {
  const closable = socket as ClosableSocket | null | undefined;
  if (closable == null || typeof closable.destroySoon !== "function") return;
  closable.destroySoon = lingerInsteadOfDestroy;
}
