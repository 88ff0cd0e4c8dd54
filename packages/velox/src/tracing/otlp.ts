/**
 * `velox/tracing/otlp`: the OpenTelemetry SDK with an OTLP/HTTP exporter in one call, for apps
 * that do not set up the SDK themselves. Needs the optional peers `@opentelemetry/sdk-trace-base`,
 * `@opentelemetry/exporter-trace-otlp-http` and `@opentelemetry/resources` (versions for Node 20:
 * 2.x, 0.223.x and 2.x; the exporter's 0.300 line needs Node 22).
 *
 * @module
 */
import { trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from "@opentelemetry/sdk-trace-base";
import { VeloxError } from "../errors.ts";

/** Options of {@link startOtlpTracing}. */
export interface OtlpTracingOptions {
  /** `service.name` of every span. */
  serviceName: string;
  serviceVersion?: string;
  /** The collector's base URL (default `$OTEL_EXPORTER_OTLP_ENDPOINT`); spans go to `<endpoint>/v1/traces`. */
  endpoint?: string;
  /** Extra request headers (an API key of a hosted backend). */
  headers?: Record<string, string>;
  /** Share of new traces kept, 0…1 (default 1); a sampled parent is always followed. */
  sampleRatio?: number;
}

/** A started SDK: flush and stop it at shutdown. */
export interface OtlpTracing {
  readonly provider: BasicTracerProvider;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Registers a global tracer provider that batches spans to an OpenTelemetry collector over
 * OTLP/HTTP (JSON). Call it before the app starts serving; `tracing()` then picks the provider up.
 *
 * @example
 * ```ts
 * import { startOtlpTracing } from "velox/tracing/otlp";
 *
 * const otel = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? startOtlpTracing({ serviceName: "shop" }) : null;
 * app.addHook("onClose", () => otel?.shutdown());
 * ```
 */
export function startOtlpTracing(options: OtlpTracingOptions): OtlpTracing {
  const endpoint = (options.endpoint ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]/.test(endpoint)) {
    throw new VeloxError("VX_INVALID_OPTION", `startOtlpTracing(): endpoint must be an http(s) URL (or set OTEL_EXPORTER_OTLP_ENDPOINT), got ${JSON.stringify(endpoint)}`);
  }
  const ratio = options.sampleRatio ?? 1;
  if (!(ratio >= 0 && ratio <= 1)) throw new VeloxError("VX_INVALID_OPTION", `startOtlpTracing(): sampleRatio must be within 0…1, got ${String(ratio)}`);
  const exporter = new OTLPTraceExporter({ url: `${endpoint}/v1/traces`, headers: options.headers });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName, ...(options.serviceVersion ? { "service.version": options.serviceVersion } : {}) }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  trace.setGlobalTracerProvider(provider);
  return {
    provider,
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
    },
  };
}
