import type { ServerResponse } from "node:http";
import { isBodylessStatus } from "../status.ts";
import { HeaderWriter, mergeHeaders, setHeader, type HeaderMap } from "./headers.ts";

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
export class VeloxResponse extends HeaderWriter {
  status: number;
  body: string | Buffer | null;

  constructor(body: string | Buffer | null = null, init: ResponseInit = {}) {
    super();
    this.body = body;
    this.status = init.status ?? 200;
    if (init.headers) for (const [k, v] of Object.entries(init.headers)) setHeader(this.headers, k, v);
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
