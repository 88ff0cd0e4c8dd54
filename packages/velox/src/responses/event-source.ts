import type { ServerResponse } from "node:http";
import type { AnySchema } from "../schema/types.ts";
import { mergeHeaders, type HeaderMap } from "./headers.ts";
import { writeItemStream } from "./item-stream.ts";
import { VeloxResponse, type ResponseInit } from "./response.ts";
import { formatEvent, KEEP_ALIVE_COMMENT, ServerSentEvent } from "./sse-event.ts";
import { DEFAULT_KEEP_ALIVE_MS, itemEncoder, type ItemEncoder } from "./stream-spec.ts";

/** What a streaming response reads its items from. */
export type ItemSource<T> = AsyncIterable<T> | Iterable<T>;

/** Options of the item-streaming responses. */
export interface ItemStreamResponseInit extends ResponseInit {
  /** Each item (an event's `data`) is validated against it and serialized with it. */
  schema?: AnySchema;
  /** The stream ends cleanly when it aborts: pass `app.shutdownSignal` (routes declared with `sse()`/`jsonl()` do). */
  signal?: AbortSignal;
  /** Told about an error after the head went out (the connection is then cut). */
  onError?: (error: unknown) => void;
  /** @internal A precompiled encoder (the route's), instead of `schema`. */
  encoder?: ItemEncoder;
}

/** Options of {@link EventSourceResponse}. */
export interface EventSourceResponseInit extends ItemStreamResponseInit {
  /** Milliseconds of silence before a `: ping` comment (default 15 000; `false` for none). */
  keepAlive?: number | false;
}

/**
 * Turns items and `ServerSentEvent`s into `text/event-stream` text; `data` is always JSON.
 *
 * @example
 * ```ts
 * sseChunk(itemEncoder(Item))({ id: 1 }); // 'data: {"id":1}\n\n'
 * ```
 */
export function sseChunk(encodeData: ItemEncoder): ItemEncoder {
  return (item) => {
    if (!(item instanceof ServerSentEvent)) {
      const data = encodeData(item);
      return typeof data === "string" ? formatEvent({ data }) : data.then((d) => formatEvent({ data: d }));
    }
    const fields = { event: item.event, id: item.id, retry: item.retry, comment: item.comment };
    if (item.data === undefined) return formatEvent({ ...fields, data: item.rawData });
    const data = encodeData(item.data);
    return typeof data === "string" ? formatEvent({ ...fields, data }) : data.then((d) => formatEvent({ ...fields, data: d }));
  };
}

/**
 * A Server-Sent Events response (`text/event-stream`) from an (async) iterable of items or
 * {@link ServerSentEvent}s. Routes declared with `response: sse(Item)` build it for you from what
 * the handler yields; build it yourself to stream from a route without a declaration.
 *
 * @example
 * ```ts
 * app.get("/feed", {}, (ctx) => new EventSourceResponse(feed(ctx.signal), { schema: Post, signal: app.shutdownSignal }));
 * ```
 */
export class EventSourceResponse<T = unknown> extends VeloxResponse {
  readonly source: ItemSource<T | ServerSentEvent<T>>;
  private readonly init: EventSourceResponseInit;

  constructor(source: ItemSource<T | ServerSentEvent<T>>, init: EventSourceResponseInit = {}) {
    super(null, init);
    this.source = source;
    this.init = init;
    this.headers["content-type"] ??= "text/event-stream; charset=utf-8";
    this.headers["cache-control"] ??= "no-cache";
    // Tells nginx not to buffer the stream.
    this.headers["x-accel-buffering"] ??= "no";
  }

  override async write(res: ServerResponse, extra: HeaderMap | null): Promise<void> {
    if (extra) mergeHeaders(this.headers, extra);
    const { init } = this;
    res.writeHead(this.status, this.headers);
    res.flushHeaders();
    const keepAlive = init.keepAlive === false ? null : init.keepAlive ?? DEFAULT_KEEP_ALIVE_MS;
    await writeItemStream(res, this.source, sseChunk(init.encoder ?? itemEncoder(init.schema)), {
      keepAlive,
      keepAliveText: KEEP_ALIVE_COMMENT,
      signal: init.signal ?? null,
      onError: init.onError,
    });
  }
}

/**
 * A JSON Lines response (`application/jsonl`): one line of JSON per item of an (async) iterable,
 * each validated against `schema`. Routes declared with `response: jsonl(Item)` build it for you.
 *
 * @example
 * ```ts
 * app.get("/export", {}, () => new JsonLinesResponse(db.streamItems(), { schema: Item }));
 * ```
 */
export class JsonLinesResponse<T = unknown> extends VeloxResponse {
  readonly source: ItemSource<T>;
  private readonly init: ItemStreamResponseInit;

  constructor(source: ItemSource<T>, init: ItemStreamResponseInit = {}) {
    super(null, init);
    this.source = source;
    this.init = init;
    this.headers["content-type"] ??= "application/jsonl";
  }

  override async write(res: ServerResponse, extra: HeaderMap | null): Promise<void> {
    if (extra) mergeHeaders(this.headers, extra);
    const { init } = this;
    res.writeHead(this.status, this.headers);
    res.flushHeaders();
    const encode = init.encoder ?? itemEncoder(init.schema);
    await writeItemStream(res, this.source, (item) => {
      const line = encode(item);
      return typeof line === "string" ? `${line}\n` : line.then((l) => `${l}\n`);
    }, { keepAlive: null, signal: init.signal ?? null, onError: init.onError });
  }
}
