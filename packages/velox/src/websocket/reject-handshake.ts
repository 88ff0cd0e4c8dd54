import type { Duplex } from "node:stream";
import { statusText } from "../status.ts";

/** An HTTP answer to an upgrade request that will not be upgraded. */
export interface HandshakeRejection {
  status: number;
  headers?: Record<string, string | readonly string[]>;
  /** JSON text; defaults to `{"detail": <status text>}`. */
  body?: string;
}

const UNSAFE = /[\r\n\0]/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function headerLines(headers: Record<string, string | readonly string[]> | undefined): string {
  let out = "";
  if (headers === undefined) return out;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name) || lower === "content-length" || lower === "connection" || lower === "content-type") continue;
    for (const v of typeof value === "string" ? [value] : value) if (!UNSAFE.test(v)) out += `${name}: ${v}\r\n`;
  }
  return out;
}

/**
 * Answers an upgrade request over its raw socket with a complete HTTP/1.1 response and closes the
 * connection: 401/403 from authentication, 403 for a refused origin, 404/405 for no WebSocket
 * route, 408 when the handshake took too long, 503 while draining. Header values carrying CR/LF
 * are dropped, never written.
 *
 * @example
 * ```ts
 * server.on("upgrade", (req, socket) => rejectHandshake(socket, { status: 404 }));
 * ```
 */
export function rejectHandshake(socket: Duplex, rejection: HandshakeRejection): void {
  if (socket.destroyed) return;
  const body = rejection.body ?? JSON.stringify({ detail: statusText(rejection.status) });
  // An exception handler may answer with another media type (HTML, problem+json): keep it.
  const given = Object.entries(rejection.headers ?? {}).find(([k]) => k.toLowerCase() === "content-type")?.[1];
  const type = typeof given === "string" && !UNSAFE.test(given) ? given : "application/json";
  const head =
    `HTTP/1.1 ${rejection.status} ${statusText(rejection.status)}\r\n` +
    "Connection: close\r\n" +
    `Content-Type: ${type}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    headerLines(rejection.headers) +
    "\r\n";
  socket.once("error", () => socket.destroy());
  socket.end(head + body);
  // A peer that never reads must not keep the socket open.
  setTimeout(() => socket.destroy(), 1000).unref();
}
