/** The fields of one Server-Sent Event. */
export interface ServerSentEventInit<T = unknown> {
  /** The payload, always sent as JSON (`"hello"` goes out quoted), validated against the route's item schema. */
  data?: T;
  /** Text sent as the `data` field as it is, without JSON encoding (HTML fragments, CSV lines). */
  rawData?: string;
  /** The event type (`addEventListener(event, ...)` in the browser); one line. */
  event?: string;
  /** The event id, sent back by browsers as `Last-Event-ID` when they reconnect; one line, no NUL. */
  id?: string;
  /** How long the client waits before reconnecting, in milliseconds. */
  retry?: number;
  /** Comment lines (`: ...`), ignored by `EventSource`. */
  comment?: string;
}

const LINE_BREAK = /\r\n|\r|\n/;

function singleLine(value: string | undefined, field: string): void {
  if (value !== undefined && (value.includes("\n") || value.includes("\r"))) throw new TypeError(`SSE '${field}' must be a single line`);
}

/**
 * One Server-Sent Event with its fields, like FastAPI's `ServerSentEvent`: yield it from a stream
 * handler to set `event`, `id`, `retry` or a comment; yield a plain value to send just `data`.
 * `event` and `id` must be single lines (an `id` without NUL) — checked here, where the mistake is.
 *
 * @example
 * ```ts
 * app.get("/items/events", { response: sse(ItemEvent) }, async function* () {
 *   yield new ServerSentEvent({ data: { id: 1, name: "Hammer" }, event: "created", id: "1" });
 * });
 * ```
 */
export class ServerSentEvent<T = never> {
  readonly data: T | undefined;
  readonly rawData: string | undefined;
  readonly event: string | undefined;
  readonly id: string | undefined;
  readonly retry: number | undefined;
  readonly comment: string | undefined;

  constructor(init: ServerSentEventInit<T>) {
    if (init.data !== undefined && init.rawData !== undefined) throw new TypeError("SSE event: set either 'data' or 'rawData', not both");
    singleLine(init.event, "event");
    singleLine(init.id, "id");
    if (init.id?.includes("\0")) throw new TypeError("SSE 'id' must not contain NUL characters");
    if (init.retry !== undefined && !(Number.isInteger(init.retry) && init.retry >= 0)) throw new TypeError("SSE 'retry' must be a non-negative integer");
    this.data = init.data;
    this.rawData = init.rawData;
    this.event = init.event;
    this.id = init.id;
    this.retry = init.retry;
    this.comment = init.comment;
  }
}

/**
 * The wire form of one event (`text/event-stream`) from already serialized data: comment lines,
 * `event`, one `data:` line per line of the data, `id`, `retry`, and the blank line that ends it.
 *
 * @example
 * ```ts
 * formatEvent({ data: '{"n":1}', event: "tick", id: "7" }); // 'event: tick\ndata: {"n":1}\nid: 7\n\n'
 * ```
 */
export function formatEvent(fields: { data?: string; event?: string; id?: string; retry?: number; comment?: string }): string {
  let out = "";
  if (fields.comment !== undefined) for (const line of fields.comment.split(LINE_BREAK)) out += `: ${line}\n`;
  if (fields.event !== undefined) out += `event: ${fields.event}\n`;
  if (fields.data !== undefined) for (const line of fields.data.split(LINE_BREAK)) out += `data: ${line}\n`;
  if (fields.id !== undefined) out += `id: ${fields.id}\n`;
  if (fields.retry !== undefined) out += `retry: ${fields.retry}\n`;
  return `${out}\n`;
}

/** The keep-alive comment sent on an idle stream (as FastAPI and the SSE spec suggest). */
export const KEEP_ALIVE_COMMENT = ": ping\n\n";
