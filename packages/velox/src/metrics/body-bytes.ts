import type { IncomingMessage, ServerResponse } from "node:http";

function parse(value: string | number | readonly string[] | undefined): number {
  if (typeof value === "number") return value;
  if (typeof value !== "string" || value.length === 0 || value.length > 15) return -1;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : -1;
}

/**
 * Bytes of the request body as declared by `Content-Length`: 0 when there is no body, -1 when it
 * is unknown (chunked).
 *
 * @example
 * ```ts
 * requestBodyBytes(ctx.req); // 345
 * ```
 */
export function requestBodyBytes(req: IncomingMessage): number {
  const length = req.headers["content-length"];
  if (length !== undefined) return parse(length);
  return req.headers["transfer-encoding"] === undefined ? 0 : -1;
}

const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d{1,15})\r\n/i;

/**
 * The Content-Length of headers given to `writeHead(status, headers)` directly, which node does
 * not keep for `getHeader()`: read from the head node sent (`_header`, node's own record of it).
 * Velox's responder writes that way; see the note in docs/metrics.md.
 */
function sentLength(res: ServerResponse): string | undefined {
  const head = (res as ServerResponse & { _header?: unknown })._header;
  return typeof head === "string" ? CONTENT_LENGTH.exec(head)?.[1] : undefined;
}

/**
 * Bytes of the response body: its `Content-Length`, 0 for a HEAD or a bodiless status, -1 when it
 * is unknown (a streamed response without a length).
 *
 * @example
 * ```ts
 * responseBodyBytes(ctx.res); // 27
 * ```
 */
export function responseBodyBytes(res: ServerResponse): number {
  const length = res.getHeader("content-length") ?? sentLength(res);
  if (length !== undefined) return res.req?.method === "HEAD" ? 0 : parse(length);
  const status = res.statusCode;
  return status === 204 || status === 304 || (status >= 100 && status < 200) || res.req?.method === "HEAD" ? 0 : -1;
}
