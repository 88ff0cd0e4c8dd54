/**
 * Nanoseconds per call of each battery's per-request work, in process, on a real request/response
 * pair captured from a real server (so header objects are node's own). A development aid for
 * finding what costs; the bench harness's figures are the ones to quote.
 * Run: npx tsx bench/observability/hook-cost.ts
 */
import { openSync } from "node:fs";
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { requestBodyBytes, responseBodyBytes } from "../../packages/velox/src/metrics/body-bytes.ts";
import { HttpSeries } from "../../packages/velox/src/metrics/http-series.ts";
import { methodLabel } from "../../packages/velox/src/metrics/semantic.ts";
import { accessRecord } from "../../packages/velox/src/logging/access-log.ts";
import { createLogger, lineWriterOf } from "../../packages/velox/src/logging/create-logger.ts";
import { accessLineWriter } from "../../packages/velox/src/logging/access-line.ts";
import { clientAddress } from "../../packages/velox/src/server/trust-proxy.ts";

const captured = await new Promise<{ req: IncomingMessage; res: ServerResponse }>((resolve) => {
  const server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": 27 }).end('{"message":"Hello, World!"}');
    res.once("finish", () => {
      resolve({ req, res });
      server.close();
    });
  });
  server.listen(0, "127.0.0.1", () => {
    request({ port: (server.address() as AddressInfo).port, host: "127.0.0.1", path: "/users/5?fields=name", agent: false, headers: { "user-agent": "wrk" } }, (r) => r.resume()).end();
  });
});
const { req, res } = captured;
const ctx = { req, res, requestId: "4bf92f35-77b3-4da6-a3ce-929d0e0e4736", route: "/users/{id}" } as never;
const info = { status: 200, route: "/users/{id}", method: "GET", durationMs: 0.42, aborted: false, bytes: 0 };

function bench(name: string, fn: () => void, n = 300_000): void {
  for (let i = 0; i < 20_000; i++) fn();
  const t = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const used = process.cpuUsage(t);
  console.log(`${name.padEnd(34)} ${(((used.user + used.system) * 1000) / n).toFixed(0).padStart(6)} ns (CPU time)`);
}

const series = new HttpSeries(1000);
bench("metrics: observe + sizes", () => series.observe(methodLabel(info.method), info.route, info.status, info.durationMs / 1000, requestBodyBytes(req), responseBodyBytes(res)));
bench("metrics: responseBodyBytes", () => responseBodyBytes(res));
bench("logging: clientAddress", () => clientAddress(req));
bench("logging: accessRecord", () => accessRecord(ctx, info));
const logger = createLogger({ destination: openSync("/dev/null", "w") });
bench("logging: pino info(access record)", () => logger.info(accessRecord(ctx, info), "request completed"));
const fastLine = accessLineWriter(lineWriterOf(logger)!, "info", "request completed");
bench("logging: access line (fast path)", () => fastLine(accessRecord(ctx, info)));
const discard: SpanExporter = { export: (_s, done) => done({ code: 0 }), shutdown: async () => {} };
const tracer = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard)] }).getTracer("x");
bench("tracing: SDK startSpan + 3 attrs + end", () => {
  const span = tracer.startSpan("GET /users/{id}", { attributes: { "http.request.method": "GET", "url.path": "/users/5", "http.route": "/users/{id}" } });
  span.setAttribute("http.response.status_code", 200);
  span.end();
});
process.exit(0);
