import type { RequestContext } from "../context.ts";
import { EventSourceResponse, JsonLinesResponse } from "./event-source.ts";
import type { VeloxResponse } from "./response.ts";
import { itemEncoder, type ItemEncoder, type StreamKind, type StreamSpec } from "./stream-spec.ts";

/** A streamed route's response, compiled once with the route. */
export interface RouteStream {
  kind: StreamKind;
  encoder: ItemEncoder;
  keepAlive: number | null;
}

/**
 * Compiles a route's `sse()`/`jsonl()` declaration: the item encoder (validation as the route's
 * `validateResponse` says) and the keep-alive interval.
 *
 * @example
 * ```ts
 * const stream = compileRouteStream(sse(Item), true);
 * ```
 */
export function compileRouteStream(spec: StreamSpec, validate: boolean): RouteStream {
  return { kind: spec["~stream"], encoder: itemEncoder(spec.schema, validate), keepAlive: spec.keepAlive };
}

function isItemSource(value: unknown): value is AsyncIterable<unknown> | Iterable<unknown> {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return false;
  return typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function" || typeof (value as Iterable<unknown>)[Symbol.iterator] === "function";
}

/**
 * The response of a streamed route for what its handler returned (an async generator, any
 * iterable): ended cleanly when the app shuts down, errors after the head logged with the request.
 *
 * @example
 * ```ts
 * return respondWith(ctx, streamResponse(ctx, plan.stream, value), true);
 * ```
 */
export function streamResponse(ctx: RequestContext, stream: RouteStream, value: unknown, status: number): VeloxResponse {
  if (!isItemSource(value) || typeof value === "string") {
    throw new TypeError(`${ctx.method} ${ctx.route}: a streamed route (sse()/jsonl()) must return an iterable or async iterable, got ${value === null ? "null" : typeof value}`);
  }
  const init = {
    status,
    encoder: stream.encoder,
    signal: ctx.app.shutdownSignal,
    onError: (err: unknown) => ctx.log.error({ err, requestId: ctx.requestId, route: ctx.route ?? undefined }, "stream failed after its head was sent"),
  };
  if (stream.kind === "sse") return new EventSourceResponse(value, { ...init, keepAlive: stream.keepAlive ?? false });
  return new JsonLinesResponse(value, init);
}
