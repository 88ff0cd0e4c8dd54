import type { AsyncAPIInfo } from "./asyncapi.ts";
import type { WebSocketLimits } from "./options.ts";

/**
 * The `websocket` option of a Velox app: limits for every WebSocket route (each route may
 * override them), where the AsyncAPI document and its page are served, and how long shutdown
 * waits for handlers after telling every client 1001.
 *
 * @example
 * ```ts
 * const app = new Velox({ websocket: { limits: { maxPayload: 16 * 1024 }, asyncapiServers: { prod: { host: "chat.example.com", protocol: "wss" } } } });
 * ```
 */
export interface WebSocketAppOptions {
  limits?: WebSocketLimits;
  /** Path of the AsyncAPI 3.0 document (default `/asyncapi.json`); `null` serves none. */
  asyncapiUrl?: string | null;
  /** Path of the page that shows it (default `/asyncapi`); `null` serves none. */
  asyncapiDocsUrl?: string | null;
  /** The document's `servers`. */
  asyncapiServers?: AsyncAPIInfo["servers"];
  /** How long shutdown waits for handlers (and their dependencies' cleanup) after sending 1001 (default 10 s). */
  drainTimeoutMs?: number;
}
