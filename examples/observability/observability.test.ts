import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "velox/logging";
import { TestClient } from "velox/testing";
import { buildApp } from "./app.ts";
import { startTracing } from "./tracing.ts";

function captureLines() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ destination: stream }) };
}

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const { lines, logger } = captureLines();
const { app } = buildApp({ logger, tracer: provider.getTracer("example"), adminKey: "k3y" });
const client = new TestClient(app);
afterAll(() => client.close());

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("observability example", () => {
  it("logs an access line and the handler's line with one request id and the caller's trace", async () => {
    const res = await client.get("/items/5?token=secret", { headers: { traceparent: TRACEPARENT, "x-request-id": "req-1" } });
    expect(res.status).toBe(200);
    const handler = lines.find((l) => l.msg === "reading item")!;
    const access = lines.find((l) => l.msg === "request completed" && l.path === "/items/5")!;
    expect(handler).toMatchObject({ requestId: "req-1", traceId: "4bf92f3577b34da6a3ce929d0e0e4736", id: 5 });
    expect(access).toMatchObject({ method: "GET", route: "/items/{id}", status: 200, requestId: "req-1", traceId: "4bf92f3577b34da6a3ce929d0e0e4736" });
    expect(JSON.stringify(access)).not.toContain("secret");
    const span = exporter.getFinishedSpans().find((s) => s.name === "GET /items/{id}")!;
    expect(span.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
    expect(span.attributes["http.response.status_code"]).toBe(200);
  });

  it("counts orders in the custom counter, redacts the password and traces the dependency", async () => {
    const res = await client.post("/orders", { json: { item: 3, password: "hunter2" } });
    expect(res.status).toBe(201);
    const text = (await client.get("/metrics")).text;
    expect(text).toContain('shop_orders_total{channel="web"} 1');
    expect(text).toContain('http_server_request_duration_seconds_count{http_request_method="POST",http_route="/orders",http_response_status_code="201"} 1');
    expect(lines.find((l) => l.msg === "order placed")!.body).toEqual({ item: 3, password: "[Redacted]" });
    const dep = exporter.getFinishedSpans().find((s) => s.name === "price lookup")!;
    const server = exporter.getFinishedSpans().find((s) => s.name === "POST /orders")!;
    expect(dep.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
  });

  it("records a 500 on the span and logs slow requests with their phases", async () => {
    expect((await client.get("/fail")).status).toBe(500);
    const failed = exporter.getFinishedSpans().find((s) => s.name === "GET /fail")!;
    expect(failed.status.code).toBe(2);
    expect(failed.events.some((e) => e.name === "exception")).toBe(true);
    await client.get("/slow");
    const slow = lines.find((l) => l.msg === "slow request")!;
    expect(slow).toMatchObject({ route: "/slow", status: 200 });
    expect(slow.handlerMs).toBeGreaterThanOrEqual(250);
  });

  it("guards the diagnostics with the admin key", async () => {
    expect((await client.get("/_diagnostics/event-loop")).status).toBe(401);
    const ok = await client.get("/_diagnostics/event-loop", { headers: { "x-admin-key": "k3y" } });
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ pid: process.pid, p99Ms: expect.any(Number) });
  });
});

describe("OTLP export (tracing.ts)", () => {
  let server: Server;
  afterAll(() => server?.close());

  it("sends the spans to a collector over OTLP/HTTP", async () => {
    const received: any[] = [];
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ path: req.url, type: req.headers["content-type"], body: JSON.parse(body) });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const otel = startTracing(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)!;
    const { app: exported } = buildApp({ logger: captureLines().logger, adminKey: "k" });
    const exportedClient = new TestClient(exported);
    await exportedClient.get("/items/9");
    await exportedClient.close();
    await otel.shutdown();
    expect(received[0]).toMatchObject({ path: "/v1/traces", type: "application/json" });
    const spans = received.flatMap((r) => r.body.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)));
    expect(spans.map((s: any) => s.name)).toContain("GET /items/{id}");
    const resource = received[0].body.resourceSpans[0].resource.attributes;
    expect(resource).toContainEqual({ key: "service.name", value: { stringValue: "observed-example" } });
  });
});
