import { createTraceState, isSpanContextValid, TraceFlags, type SpanContext } from "@opentelemetry/api";

/** `traceparent`: version, trace id, parent id, flags (W3C Trace Context, level 1). */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
/** The longest `tracestate` kept: 32 members of up to 256 characters each, commas included. */
const MAX_TRACESTATE = 8_224;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
}

/**
 * The remote parent of a request from its `traceparent` and `tracestate` headers, or undefined
 * when there is none or it is malformed (a malformed one starts a new trace, as the
 * specification asks). Version `00` must have exactly four fields; a later version may carry more,
 * which are ignored. Several `traceparent` headers are malformed; several `tracestate` headers are
 * joined.
 *
 * @example
 * ```ts
 * parseTraceParent({ traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });
 * // { traceId: "4bf92f…", spanId: "00f067aa0ba902b7", traceFlags: 1, isRemote: true }
 * ```
 */
export function parseTraceParent(headers: Record<string, string | string[] | undefined>): SpanContext | undefined {
  const header = single(headers.traceparent);
  if (header === undefined || header.length > 512) return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  const context: SpanContext = { traceId, spanId, traceFlags: parseInt(flags, 16) & TraceFlags.SAMPLED, isRemote: true };
  if (!isSpanContextValid(context)) return undefined;
  const state = headers.tracestate;
  const raw = Array.isArray(state) ? state.join(",") : state;
  if (raw !== undefined && raw.length > 0 && raw.length <= MAX_TRACESTATE) context.traceState = createTraceState(raw);
  return context;
}

/**
 * Writes `traceparent` (and `tracestate`) for `context` into outgoing request headers, so the
 * service called next continues the trace.
 *
 * @example
 * ```ts
 * const headers: Record<string, string> = {};
 * injectTraceParent(span.spanContext(), headers);
 * await fetch(url, { headers });
 * ```
 */
export function injectTraceParent(context: SpanContext, headers: Record<string, string>): void {
  if (!isSpanContextValid(context)) return;
  headers.traceparent = `00-${context.traceId}-${context.spanId}-0${(context.traceFlags & TraceFlags.SAMPLED).toString(16)}`;
  const state = context.traceState?.serialize();
  if (state) headers.tracestate = state;
}
