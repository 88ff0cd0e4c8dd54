/**
 * The Velox contract app with the observability batteries on (workload 5 of the method): the
 * access log through pino to /dev/null (formatted and written asynchronously, as in production),
 * Prometheus metrics, and tracing with the OpenTelemetry SDK sampling every request into a batch
 * processor whose exporter drops the spans (no network in the measurement).
 */
import { openSync } from "node:fs";
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { Velox } from "velox";
import { accessLog, createLogger } from "velox/logging";
import { metrics } from "velox/metrics";
import { tracing } from "velox/tracing";
import { buildVeloxApp } from "./velox-app.ts";

const discard: SpanExporter = {
  export: (_spans: ReadableSpan[], done) => done({ code: 0 }),
  shutdown: async () => {},
};

export type Batteries = "all" | "metrics";

export function buildBatteriesApp(batteries: Batteries): Velox {
  if (batteries === "metrics") return buildVeloxApp({ usersBehindDeps: false, plugins: [metrics()] });
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard)] });
  const logger = createLogger({ destination: openSync("/dev/null", "w") });
  return buildVeloxApp({
    usersBehindDeps: false,
    app: { logger, requestScope: true },
    plugins: [accessLog(), metrics(), tracing({ tracer: provider.getTracer("bench"), contextManager: true })],
  });
}
