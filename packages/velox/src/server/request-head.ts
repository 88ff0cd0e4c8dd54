import type { IncomingMessage, ServerResponse } from "node:http";
import { statusText } from "../status.ts";

/**
 * What node's parser lets through and Velox refuses, from a request's head alone: more header
 * lines than `maxHeadersCount` (431; node's `maxHeaderSize` counts only the bytes of names and
 * values, so thousands of tiny headers fit in 16 KiB, and its own `maxHeadersCount` drops the
 * surplus silently), and more than one `Host` (400, RFC 9112 §3.2; the server joins duplicate
 * headers, so two Hosts arrive as one value with a comma, which no host name contains).
 * Returns the status to answer, or 0.
 *
 * @example
 * ```ts
 * const status = refusedHead(req, 100);
 * if (status !== 0) return sendRefusal(res, status);
 * ```
 */
export function refusedHead(req: IncomingMessage, maxHeadersCount: number): number {
  if (maxHeadersCount > 0 && req.rawHeaders.length > maxHeadersCount * 2) return 431;
  const host = req.headers.host;
  if (host !== undefined && host.includes(",")) return 400;
  return 0;
}

/**
 * Answers a refused head with FastAPI's error body and closes the connection.
 *
 * @example
 * ```ts
 * sendRefusal(res, 431);
 * ```
 */
export function sendRefusal(res: ServerResponse, status: number): void {
  const body = JSON.stringify({ detail: statusText(status) });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), connection: "close" });
  res.end(body);
}
