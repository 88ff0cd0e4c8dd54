/**
 * `velox/tracing`: OpenTelemetry traces for Velox apps — a server span per request, W3C trace
 * context in and out, spans for dependencies and background tasks — with only
 * `@opentelemetry/api` in the request path. `velox/tracing/otlp` sets up the SDK and an OTLP
 * exporter (optional peers).
 *
 * @module
 */
export { tracing, requestSpan, type TracingOptions } from "./tracing.ts";
export { traced, type TracedOptions } from "./spans.ts";
export { RequestContextManager, requestOtelContext } from "./request-context-manager.ts";
export { parseTraceParent, injectTraceParent } from "./w3c.ts";
