import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { statusText } from "./status.ts";

/**
 * Takes over an HTTP Upgrade request (node's `upgrade` event): the socket belongs to it from then on.
 *
 * @example
 * ```ts
 * const handler: UpgradeHandler = (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
 * ```
 */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Refuses an upgrade with a plain HTTP answer and closes the socket (FastAPI's JSON error body).
 *
 * @example
 * ```ts
 * rejectUpgrade(socket, 426, { upgrade: "websocket" });
 * ```
 */
export function rejectUpgrade(socket: Duplex, status: number, headers: Record<string, string> = {}): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ detail: statusText(status) });
  let head = `HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value.replace(/[\r\n]/g, "")}\r\n`;
  socket.end(`${head}\r\n${body}`);
  socket.once("finish", () => socket.destroy());
}
