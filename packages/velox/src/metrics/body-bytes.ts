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
const LOWER = "\r\ncontent-length:";

/**
 * The Content-Length of headers given to `writeHead(status, headers)` directly, which node does
 * not keep for `getHeader()`: read from the head node sent (`_header`, node's own record of it).
 * Velox's responder writes lower-case names, found with one `indexOf`; other casings take a regex.
 */
function sentLength(res: ServerResponse): number {
  const head = (res as ServerResponse & { _header?: unknown })._header;
  if (typeof head !== "string") return -1;
  let at = head.indexOf(LOWER);
  if (at === -1) {
    const match = CONTENT_LENGTH.exec(head);
    return match === null ? -1 : Number(match[1]);
  }
  at += LOWER.length;
  while (head.charCodeAt(at) === 32) at++;
  let n = 0;
  let digits = 0;
  for (let c = head.charCodeAt(at); c >= 48 && c <= 57 && digits < 15; c = head.charCodeAt(++at), digits++) n = n * 10 + (c - 48);
  return digits > 0 && head.charCodeAt(at) === 13 ? n : -1;
}

/**
 * Bytes of the response body: what the responder reported (`ResponseInfo.bytes`), else its
 * `Content-Length`; 0 for a HEAD or a bodiless status, -1 when it is unknown (a streamed response
 * without a length).
 *
 * @example
 * ```ts
 * responseBodyBytes(ctx.res); // 27
 * responseBodyBytes(ctx.res, info.bytes, info.method); // what the responder reported; 0 for HEAD
 * ```
 */
export function responseBodyBytes(res: ServerResponse, known = -1, method: string | undefined = res.req?.method): number {
  if (known >= 0) return method === "HEAD" ? 0 : known;
  const declared = res.getHeader("content-length");
  const length = declared !== undefined ? parse(declared) : sentLength(res);
  if (length >= 0) return method === "HEAD" ? 0 : length;
  const status = res.statusCode;
  return status === 204 || status === 304 || (status >= 100 && status < 200) || method === "HEAD" ? 0 : -1;
}
