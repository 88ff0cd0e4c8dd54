/**
 * Limits enforced by node's HTTP parser and by the request gate, over real sockets: slow heads and
 * bodies (408), oversized heads (431), the concurrency limit and load shedding (503 + Retry-After),
 * and the connection cap.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Velox } from "../../src/index.ts";
import { serve, type ServeOptions, type ServerHandle } from "../../src/server/index.ts";
import { RawClient, send } from "./helpers/raw.ts";

const handles: ServerHandle[] = [];
const clients: RawClient[] = [];

async function start(options: ServeOptions = {}): Promise<ServerHandle> {
  const app = new Velox({ logger: false });
  app.get("/json", {}, () => ({ ok: true }));
  app.post("/echo", {}, async ({ req }) => {
    let size = 0;
    for await (const chunk of req) size += (chunk as Buffer).length;
    return { size };
  });
  app.get("/wait", {}, async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { waited: true };
  });
  app.get("/block", {}, () => {
    const until = Date.now() + 60;
    while (Date.now() < until) {
      // Stalls the event loop on purpose.
    }
    return { blocked: true };
  });
  const handle = await serve(app, { port: 0, workers: 0, handleSignals: false, idleGraceMs: 0, shutdownTimeoutMs: 2_000, ...options });
  handles.push(handle);
  return handle;
}

function raw(port: number): RawClient {
  const client = new RawClient(port);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(handles.splice(0).map((h) => h.shutdown()));
});

describe("timeouts", () => {
  const timeouts = { headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 };

  it("answers 408 to a client that does not finish its headers in headersTimeout", async () => {
    const { port } = await start(timeouts);
    const client = raw(port);
    await client.connected;
    client.write("GET /json HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    const started = Date.now();
    const reply = await client.untilClosed();
    expect(reply).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(reply).toContain("Connection: close");
    expect(reply).toContain('{"detail":"Request Timeout"}');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("answers 408 to a client that stalls its body past requestTimeout", async () => {
    const { port } = await start(timeouts);
    const client = raw(port);
    await client.connected;
    client.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 100\r\n\r\nonly-a-part");
    const reply = await client.untilClosed();
    expect(reply).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it("serves a complete request that arrives in time", async () => {
    const { url } = await start(timeouts);
    expect((await send(`${url}/json`)).status).toBe(200);
  });
});

describe("request head size", () => {
  it("answers 431 beyond maxHeaderSize (16 KiB by default)", async () => {
    const { port } = await start();
    const client = raw(port);
    await client.connected;
    client.write(`GET /json HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(17 * 1024)}\r\n\r\n`);
    expect(await client.untilClosed()).toMatch(/^HTTP\/1\.1 431 /);
    const small = await start({ maxHeaderSize: 1024 });
    const reply = await send(`${small.url}/json`, { headers: { "x-mid": "b".repeat(2_000) } }).catch(() => null);
    expect(reply?.status ?? 431).toBe(431);
  });
});

describe("malformed requests", () => {
  it("answers 400 with a JSON body and closes the connection", async () => {
    const { port } = await start();
    const client = raw(port);
    await client.connected;
    client.write("GET /json HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
    const reply = await client.untilClosed();
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(reply).toContain('{"detail":"Bad Request"}');
  });
});

describe("limitConcurrency", () => {
  it("answers 503 with Retry-After beyond the limit, and serves again once requests finish", async () => {
    const { url } = await start({ limitConcurrency: 2, retryAfter: 3 });
    const held = [send(`${url}/wait`), send(`${url}/wait`)];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const over = await send(`${url}/json`);
    expect(over.status).toBe(503);
    expect(over.headers["retry-after"]).toBe("3");
    expect(JSON.parse(over.body)).toEqual({ detail: "Service Unavailable" });
    // Probes are not requests of the app: an orchestrator must still see the process alive.
    expect((await send(`${url}/health`)).status).toBe(200);
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
    expect((await send(`${url}/json`)).status).toBe(200);
  });
});

describe("load shedding", () => {
  it("answers 503 with Retry-After while the heap is over its threshold", async () => {
    const { url } = await start({ maxHeapUsedBytes: 1, sampleIntervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const shed = await send(`${url}/json`);
    expect(shed.status).toBe(503);
    expect(shed.headers["retry-after"]).toBe("1");
    expect((await send(`${url}/health`)).status).toBe(200);
  });

  it("answers 503 while the event loop lags, then recovers", async () => {
    const { url } = await start({ maxEventLoopDelayMs: 20, sampleIntervalMs: 100 });
    let shed = 0;
    const end = Date.now() + 8_000;
    // Keep the loop stalled with a steady stream of blocking requests until the shedder reacts.
    while (shed === 0 && Date.now() < end) {
      const replies = await Promise.all([send(`${url}/block`), send(`${url}/block`), send(`${url}/block`), send(`${url}/json`)]);
      shed = replies.filter((r) => r.status === 503 && r.headers["retry-after"] === "1").length;
    }
    expect(shed).toBeGreaterThan(0);
    let recovered = false;
    while (!recovered && Date.now() < end + 4_000) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      recovered = (await send(`${url}/json`)).status === 200;
    }
    expect(recovered).toBe(true);
  });
});

describe("maxConnections", () => {
  it("closes connections beyond the cap at once", async () => {
    const { port } = await start({ maxConnections: 1 });
    const first = raw(port);
    await first.connected;
    first.write("GET /json HTTP/1.1\r\nHost: x\r\n\r\n");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(first.received).toMatch(/^HTTP\/1\.1 200/);
    const second = raw(port);
    second.write("GET /json HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(await second.untilClosed(2_000)).toBe("");
  });
});
