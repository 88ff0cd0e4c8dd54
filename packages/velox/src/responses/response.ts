import type { ServerResponse } from "node:http";
import { isBodylessStatus } from "../status.ts";
import { appendCookie, mergeHeaders, setHeader, type CookieOptions, type HeaderMap } from "./headers.ts";

/** Status and headers for a response. */
export interface ResponseInit {
  status?: number;
  headers?: Record<string, string | number | readonly string[]>;
}

/**
 * A complete HTTP response. Return one from a handler to bypass response-model serialization
 * (as in FastAPI), or build one in an exception handler or middleware.
 *
 * @example
 * ```ts
 * app.get("/legacy", {}, () => new VeloxResponse("<xml/>", { status: 200, headers: { "content-type": "application/xml" } }));
 * ```
 */
export class VeloxResponse {
  status: number;
  readonly headers: HeaderMap = {};
  body: string | Buffer | null;

  constructor(body: string | Buffer | null = null, init: ResponseInit = {}) {
    this.body = body;
    this.status = init.status ?? 200;
    if (init.headers) for (const [k, v] of Object.entries(init.headers)) setHeader(this.headers, k, v);
  }

  /** Sets (replaces) one header; CR/LF in names or values throws. */
  setHeader(name: string, value: string | number | readonly string[]): this {
    setHeader(this.headers, name, value);
    return this;
  }

  /** Adds a Set-Cookie header (path defaults to "/"). */
  setCookie(name: string, value: string, options?: CookieOptions): this {
    appendCookie(this.headers, name, value, options);
    return this;
  }

  /** Expires a cookie in the client. */
  deleteCookie(name: string, options: CookieOptions = {}): this {
    appendCookie(this.headers, name, "", { ...options, maxAge: 0, expires: new Date(0) });
    return this;
  }

  /** Writes the response to node's `ServerResponse`. `extra` headers come from the request context. */
  write(res: ServerResponse, extra: HeaderMap | null): void | Promise<void> {
    if (extra) mergeHeaders(this.headers, extra);
    if (isBodylessStatus(this.status) || this.body === null) {
      res.writeHead(this.status, this.headers);
      res.end();
      return;
    }
    if (this.headers["content-length"] === undefined) this.headers["content-length"] = String(Buffer.byteLength(this.body));
    res.writeHead(this.status, this.headers);
    res.end(this.body);
  }
}
