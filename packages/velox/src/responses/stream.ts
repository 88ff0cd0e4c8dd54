import type { ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { pipeBody } from "../runtime/stream-sink.ts";
import { mergeHeaders, type HeaderMap } from "./headers.ts";
import { VeloxResponse, type ResponseInit } from "./response.ts";

/** What a streaming response can send: a readable stream or any (async) iterable of chunks. */
export type StreamSource = Readable | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * Streams a body with backpressure (a slow client pauses the producer). A producer error after
 * the headers went out ends the connection, since the status can no longer change.
 *
 * @example
 * ```ts
 * app.get("/numbers", {}, () => new StreamingResponse((async function* () {
 *   for (let i = 0; i < 3; i++) yield `${i}\n`;
 * })(), { headers: { "content-type": "text/plain" } }));
 * ```
 */
export class StreamingResponse extends VeloxResponse {
  readonly source: StreamSource;

  constructor(source: StreamSource, init?: ResponseInit) {
    super(null, init);
    this.source = source;
    if (!this.headers["content-type"]) this.headers["content-type"] = "application/octet-stream";
  }

  override async write(res: ServerResponse, extra: HeaderMap | null): Promise<void> {
    if (extra) mergeHeaders(this.headers, extra);
    res.writeHead(this.status, this.headers);
    await pipeBody(res, this.source);
  }
}
