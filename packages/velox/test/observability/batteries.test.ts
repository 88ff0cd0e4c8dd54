/**
 * The logging, tracing and diagnostics batteries over real sockets, behind velox/server (so
 * `trustProxy`, the HTTP parser and aborted connections are real).
 */
import { request } from "node:http";
import { Writable } from "node:stream";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { APIKeyHeader, depends, HTTPException, safeCompare, unauthorized, Velox } from "../../src/index.ts";
import { diagnostics, slowRequests } from "../../src/diagnostics/index.ts";
import { accessLog, createLogger } from "../../src/logging/index.ts";
import { serve } from "../../src/server/index.ts";
import { tracing } from "../../src/tracing/index.ts";

const lines: Record<string, any>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

const app = new Velox({ logger: createLogger({ destination: sink }), requestScope: true });
app.register(accessLog({ levelByStatus: true }));
app.register(tracing({ tracer: provider.getTracer("test") }));
app.register(slowRequests({ thresholdMs: 150 }));
const adminKey = APIKeyHeader({ name: "X-Admin-Key" });
const admin = depends({ deps: { key: adminKey } }, ({ key }) => {
  if (!safeCompare(key, "s3cret")) throw unauthorized(adminKey);
});
app.register(diagnostics({ security: admin }));

const slowDep = depends(async () => {
  await new Promise((r) => setTimeout(r, 120));
  return 1;
});
app.get("/items/{id}", { path: { id: z.int() } }, ({ path, log }) => {
  log.info({ token: "abc", id: path.id }, "reading");
  return { id: path.id };
});
app.get("/stream-forever", {}, ({ res }) => new Promise(() => res.write("x")));
app.get("/slow", { deps: { n: slowDep } }, async ({ n }) => {
  await new Promise((r) => setTimeout(r, 80));
  return { n };
});
app.get("/teapot", {}, () => {
  throw new HTTPException(418, "short and stout");
});
app.get("/crash", {}, () => {
  throw new Error("kaboom");
});

const handle = await serve(app, { port: 0, workers: 0, handleSignals: false, trustProxy: "loopback", logger: app.logger });
afterAll(() => handle.shutdown());

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(`${handle.url}${path}`, { headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.once("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    }).once("error", reject).end();
  });
}

const settle = () => new Promise((r) => setTimeout(r, 50));
const access = (path: string) => lines.filter((l) => l.msg === "request completed" && l.path === path);

describe("access log over a socket", () => {
  it("writes method, route, raw path, status, duration, bytes, ids, forwarded client and user agent", async () => {
    const res = await get("/items/7?token=leaky", { "x-forwarded-for": "203.0.113.9", "user-agent": "probe/1", "x-request-id": "abc-123" });
    expect(res.status).toBe(200);
    await settle();
    const [line] = access("/items/7");
    expect(line).toMatchObject({
      level: "info", method: "GET", route: "/items/{id}", path: "/items/7", status: 200, bytes: 8,
      requestId: "abc-123", client: "203.0.113.9", userAgent: "probe/1",
    });
    expect(line!.durationMs).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain("leaky");
    const handler = lines.find((l) => l.msg === "reading")!;
    expect(handler).toMatchObject({ requestId: "abc-123", token: "[Redacted]", traceId: line!.traceId });
    expect(handler.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("generates the id for a hostile X-Request-ID and logs 4xx/5xx at warn/error", async () => {
    await get("/teapot", { "x-request-id": "x".repeat(300) });
    await get("/crash", { "x-request-id": "a\"b" });
    await settle();
    expect(access("/teapot")[0]).toMatchObject({ level: "warn", status: 418, route: "/teapot" });
    expect(access("/teapot")[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(access("/crash")[0]).toMatchObject({ level: "error", status: 500 });
    expect(access("/crash")[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("marks a request the client abandoned", async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${handle.url}/stream-forever`, { agent: false }, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.once("error", () => {});
      req.end();
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(access("/stream-forever")[0]).toMatchObject({ aborted: true, bytes: null });
  });

  it("puts the server's own lifecycle lines through the same logger", () => {
    expect(lines.some((l) => typeof l.msg === "string" && l.msg.startsWith("velox listening on") && l.pid === process.pid)).toBe(true);
  });
});

describe("tracing over a socket", () => {
  it("continues the caller's W3C trace with a server span named after the route", async () => {
    exporter.reset();
    await get("/items/3", { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", tracestate: "vendor=1" });
    await settle();
    const span = exporter.getFinishedSpans().find((s) => s.name === "GET /items/{id}")!;
    expect(span.spanContext().traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(span.parentSpanContext?.spanId).toBe("b7ad6b7169203331");
    expect(span.spanContext().traceState?.get("vendor")).toBe("1");
    expect(span.kind).toBe(1); // SERVER
    expect(span.attributes).toMatchObject({
      "http.request.method": "GET", "http.route": "/items/{id}", "url.path": "/items/3", "url.scheme": "http",
      "http.response.status_code": 200, "client.address": "127.0.0.1", "network.protocol.version": "1.1",
    });
    expect(access("/items/3")[0]!.traceId).toBe("0af7651916cd43dd8448eb211c80319c");
  });

  it("names unmatched requests by method, records 5xx as errors and leaves 4xx alone", async () => {
    exporter.reset();
    await get("/nowhere");
    await get("/crash", { traceparent: "00-ffffffffffffffffffffffffffffffff-0000000000000000-01" });
    await get("/teapot");
    await settle();
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(["GET", "GET /crash", "GET /teapot"]);
    const crash = spans.find((s) => s.name === "GET /crash")!;
    expect(crash.status.code).toBe(2);
    expect(crash.attributes["error.type"]).toBe("500");
    expect(crash.events[0]).toMatchObject({ name: "exception", attributes: { "exception.message": "kaboom" } });
    // An invalid parent (all-zero span id) starts a new trace.
    expect(crash.parentSpanContext).toBeUndefined();
    expect(spans.find((s) => s.name === "GET /teapot")!.status.code).toBe(0);
  });
});

describe("slow requests", () => {
  it("logs the route and the time in dependencies vs handler", async () => {
    await get("/slow");
    await settle();
    const slow = lines.find((l) => l.msg === "slow request")!;
    expect(slow).toMatchObject({ level: "warn", route: "/slow", status: 200 });
    expect(slow.inputsMs).toBeGreaterThanOrEqual(110);
    expect(slow.handlerMs).toBeGreaterThanOrEqual(70);
    expect(slow.sendMs).toBeGreaterThanOrEqual(0);
    expect(lines.filter((l) => l.msg === "slow request" && l.route === "/items/{id}")).toEqual([]);
  });
});

describe("diagnostics over a socket", () => {
  const auth = { "x-admin-key": "s3cret" };

  it("refuses without the security dependency's blessing", async () => {
    expect((await get("/_diagnostics/heap")).status).toBe(401);
    expect((await get("/_diagnostics/heap", { "x-admin-key": "wrong" })).status).toBe(401);
  });

  it("serves a .cpuprofile, one at a time, and checks its arguments", async () => {
    const first = get("/_diagnostics/cpu-profile?seconds=1", auth);
    await new Promise((r) => setTimeout(r, 100));
    expect((await get("/_diagnostics/cpu-profile?seconds=1", auth)).status).toBe(409);
    const res = await first;
    expect(res.status).toBe(200);
    expect(String(res.headers["content-disposition"])).toMatch(/^attachment; filename="velox-.*\.cpuprofile"$/);
    const profile = JSON.parse(res.body);
    expect(profile.nodes.length).toBeGreaterThan(0);
    for (const bad of ["0", "121", "1e3", "-1", "abc"]) expect((await get(`/_diagnostics/cpu-profile?seconds=${bad}`, auth)).status).toBe(422);
  });

  it("reports heap, event loop, handles and workers; an unknown worker is a 404", async () => {
    expect(JSON.parse((await get("/_diagnostics/heap", auth)).body).heap.used_heap_size).toBeGreaterThan(0);
    expect(JSON.parse((await get("/_diagnostics/event-loop?reset=1", auth)).body)).toMatchObject({ pid: process.pid });
    expect(JSON.parse((await get("/_diagnostics/handles", auth)).body).byType.TCPServerWrap).toBeGreaterThanOrEqual(1);
    expect(JSON.parse((await get("/_diagnostics/workers", auth)).body)).toEqual({ pids: [process.pid] });
    expect((await get("/_diagnostics/heap?worker=999999", auth)).status).toBe(404);
    expect((await get(`/_diagnostics/heap?worker=${process.pid}`, auth)).status).toBe(200);
  });
});
