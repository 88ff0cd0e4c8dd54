import { context, isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from "@opentelemetry/api";
import type { Plugin } from "../app.ts";
import { setRequestTrace } from "../batteries/request-trace.ts";
import type { RequestContext } from "../context.ts";
import { methodLabel } from "../metrics/semantic.ts";
import { clientAddress } from "../server/trust-proxy.ts";
import { RequestContextManager, setRequestOtelContext } from "./request-context-manager.ts";
import { parseTraceParent } from "./w3c.ts";

/** Options of {@link tracing}. */
export interface TracingOptions {
  /** Install the hooks at all (default true); e.g. `enabled: !!process.env.OTEL_EXPORTER_OTLP_ENDPOINT`. */
  enabled?: boolean;
  /** The tracer spans come from (default: the global provider's tracer `velox`). */
  tracer?: Tracer;
  /**
   * How the incoming trace is read: `w3c` (default) parses `traceparent`/`tracestate` itself, with
   * no SDK needed; `global` uses the propagator the app registered with `@opentelemetry/api`
   * (B3, Jaeger, baggage…).
   */
  propagation?: "w3c" | "global";
  /**
   * Register {@link RequestContextManager} as the global context manager when none is, so the
   * server span is active inside the request (default true).
   */
  contextManager?: boolean;
}

const spans = new WeakMap<RequestContext, Span>();
/** Requests whose error `onError` recorded already. */
const recorded = new WeakSet<RequestContext>();

const headerGetter = {
  get: (carrier: Record<string, string | string[] | undefined>, key: string) => carrier[key],
  keys: (carrier: Record<string, string | string[] | undefined>) => Object.keys(carrier),
};

/**
 * The server span of a request, or undefined when it is not traced.
 *
 * @example
 * ```ts
 * app.get("/pay", {}, (ctx) => {
 *   requestSpan(ctx)?.setAttribute("shop.cart_size", 3);
 *   return { ok: true };
 * });
 * ```
 */
export function requestSpan(ctx: RequestContext): Span | undefined {
  return spans.get(ctx);
}

function startAttributes(ctx: RequestContext): Attributes {
  const req = ctx.req;
  const method = req.method ?? "GET";
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const attributes: Attributes = {
    "http.request.method": methodLabel(method),
    "url.path": q === -1 ? url : url.slice(0, q),
    "url.scheme": (req.socket as { encrypted?: boolean } | null)?.encrypted ? "https" : "http",
    "client.address": clientAddress(req),
    "network.protocol.version": req.httpVersion,
  };
  if (attributes["http.request.method"] === "_OTHER") attributes["http.request.method_original"] = method;
  const agent = req.headers["user-agent"];
  if (agent !== undefined) attributes["user_agent.original"] = agent;
  if (ctx.route !== null) attributes["http.route"] = ctx.route;
  return attributes;
}

function parentOf(ctx: RequestContext, mode: "w3c" | "global"): Context {
  if (mode === "global") return propagation.extract(ROOT_CONTEXT, ctx.req.headers, headerGetter);
  const remote = parseTraceParent(ctx.req.headers);
  return remote === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, remote);
}

function errorOf(error: unknown): Error | string {
  return error instanceof Error ? error : String(error);
}

/**
 * A Velox plugin tracing every request with OpenTelemetry: a `SERVER` span named after the route
 * template (`GET /items/{id}`, or just the method when nothing matched), HTTP semantic-convention
 * attributes, the incoming W3C trace continued, 5xx answers and thrown errors recorded. Only
 * `@opentelemetry/api` runs in the request path; without an SDK registered the spans are no-ops.
 * Not registering the plugin (or `enabled: false`) leaves no hook at all.
 *
 * @example
 * ```ts
 * import { tracing } from "velox/tracing";
 *
 * const app = new Velox({ requestScope: true });
 * app.register(tracing({ enabled: process.env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined }));
 * ```
 */
export function tracing(options: TracingOptions = {}): Plugin {
  const mode = options.propagation ?? "w3c";
  return (app) => {
    if (options.enabled === false) return;
    if (options.contextManager ?? true) context.setGlobalContextManager(new RequestContextManager().enable());
    const tracer = options.tracer ?? trace.getTracer("velox");
    app.addHook("onRequest", (ctx) => {
      const parent = parentOf(ctx, mode);
      const method = ctx.req.method ?? "GET";
      const name = ctx.route === null ? methodLabel(method) : `${methodLabel(method)} ${ctx.route}`;
      const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes: startAttributes(ctx) }, parent);
      spans.set(ctx, span);
      const ids = span.spanContext();
      if (isSpanContextValid(ids)) setRequestTrace(ctx, { traceId: ids.traceId, spanId: ids.spanId });
      setRequestOtelContext(ctx, trace.setSpan(parent, span));
    });
    app.addHook("onError", (ctx, error, status) => {
      if (status < 500) return;
      const span = spans.get(ctx);
      if (span === undefined) return;
      span.recordException(errorOf(error));
      recorded.add(ctx);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
    });
    app.addHook("onResponse", (ctx, info) => {
      const span = spans.get(ctx);
      if (span === undefined) return;
      span.setAttribute("http.response.status_code", info.status);
      if (info.status >= 500) {
        span.setAttribute("error.type", String(info.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      if (info.aborted) span.setAttribute("velox.aborted", true);
      if (info.error !== undefined && info.status >= 500 && !recorded.has(ctx)) span.recordException(errorOf(info.error));
      span.end();
    });
  };
}
