/**
 * Exporting the traces over OTLP/HTTP to an OpenTelemetry collector (Jaeger, Tempo, Honeycomb…),
 * on only when OTEL_EXPORTER_OTLP_ENDPOINT is set:
 *
 *   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 npx tsx examples/observability/main.ts
 */
import { startOtlpTracing, type OtlpTracing } from "velox/tracing/otlp";

export function startTracing(endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT): OtlpTracing | null {
  if (!endpoint) return null;
  return startOtlpTracing({ serviceName: "observed-example", serviceVersion: "1.0.0", endpoint });
}
