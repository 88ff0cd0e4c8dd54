import type { RequestContext } from "../context.ts";

/** The trace a request belongs to, as W3C hex ids. */
export interface TraceIds {
  traceId: string;
  spanId: string;
}

const traces = new WeakMap<RequestContext, TraceIds>();

/**
 * Records the trace of a request (`velox/tracing` does, when it starts the server span) so
 * `velox/logging` can stamp every log line of the request with it, without either battery
 * importing the other or OpenTelemetry.
 *
 * @example
 * ```ts
 * setRequestTrace(ctx, { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId });
 * ```
 */
export function setRequestTrace(ctx: RequestContext, ids: TraceIds): void {
  traces.set(ctx, ids);
}

/**
 * The trace ids of a request, or undefined when it is not traced.
 *
 * @example
 * ```ts
 * requestTrace(ctx)?.traceId; // "4bf92f3577b34da6a3ce929d0e0e4736"
 * ```
 */
export function requestTrace(ctx: RequestContext): TraceIds | undefined {
  return traces.get(ctx);
}
