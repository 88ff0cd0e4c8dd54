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

/**
 * An upgrade request on a fetch-style runtime (Bun): the request as Velox reads it, a signal
 * aborted when the client goes away, and `accept`, which hands the connection to the runtime's
 * own WebSocket with `socket` as its event target.
 *
 * @example
 * ```ts
 * const handler: FetchUpgradeHandler = (upgrade) => upgrade.accept(socket, { "sec-websocket-protocol": "bearer" }) ? undefined : new Response(null, { status: 400 });
 * ```
 */
export interface FetchUpgrade {
  readonly req: IncomingMessage;
  readonly signal: AbortSignal;
  /** The server (publisher of pub/sub topics). */
  readonly server: import("./runtime/bun/bun-web-socket.ts").BunPublisher;
  /** Upgrades the connection; false when the runtime refused it (not a valid handshake). */
  accept(socket: import("./runtime/bun/bun-web-socket.ts").BunWebSocket, headers?: Record<string, string>): boolean;
}

/**
 * Takes an upgrade request on Bun: `undefined` once upgraded, else the HTTP answer that refuses it.
 *
 * @example
 * ```ts
 * app.setUpgradeHandler(nodeHandler, (upgrade) => refusal(404));
 * ```
 */
export type FetchUpgradeHandler = (upgrade: FetchUpgrade) => Response | undefined | Promise<Response | undefined>;

/**
 * The upgrade side for fetch-style runtimes: the handler, and the server-wide socket limits the
 * runtime enforces itself (the largest of every route's; each route's own is checked per message).
 *
 * @example
 * ```ts
 * app.setUpgradeHandler(nodeHandler, { handle: bunHandler, socketLimits: { maxPayloadLength: 65536, backpressureLimit: 1 << 20, perMessageDeflate: false } });
 * ```
 */
export interface FetchUpgradeEntry {
  handle: FetchUpgradeHandler;
  socketLimits: { maxPayloadLength: number; backpressureLimit: number; perMessageDeflate: boolean };
}

/**
 * The HTTP answer refusing an upgrade on a fetch-style runtime, with the body `rejectUpgrade` writes.
 *
 * @example
 * ```ts
 * return upgradeRefusal(503, { "retry-after": "5" });
 * ```
 */
export function upgradeRefusal(status: number, headers: Record<string, string> = {}, body = JSON.stringify({ detail: statusText(status) })): Response {
  return new Response(body, { status, headers: { "content-type": "application/json", connection: "close", ...headers } });
}
