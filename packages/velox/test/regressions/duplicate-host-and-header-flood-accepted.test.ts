/**
 * Regression (issue 12, defect 5): a request with two `Host` headers was served (node keeps the
 * first; RFC 9112 §3.2 requires a 400), and 5,000 tiny headers passed the 16 KiB head limit
 * (node counts only the bytes of names and values). `serve()` now answers 400 to a second Host
 * and 431 beyond `maxHeadersCount` (100) header lines.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Velox } from "../../src/index.ts";
import { serve, type ServerHandle } from "../../src/server/index.ts";
import { assertServing, rawRequest } from "../hardening/raw-http.ts";

const quiet = { info() {}, warn() {}, error() {} } as never;
let handle: ServerHandle;
let unlimited: ServerHandle;
let calls = 0;

beforeAll(async () => {
  const app = new Velox({ logger: false });
  app.get("/echo-host", {}, ({ req }) => {
    calls++;
    return { host: req.headers.host, headers: req.rawHeaders.length / 2 };
  });
  handle = await serve(app, { port: 0, workers: 0, handleSignals: false, logger: quiet });
  const other = new Velox({ logger: false });
  other.get("/echo-host", {}, ({ req }) => ({ headers: req.rawHeaders.length / 2 }));
  unlimited = await serve(other, { port: 0, workers: 0, handleSignals: false, logger: quiet, maxHeadersCount: 0 });
});
afterAll(async () => {
  await Promise.all([handle.shutdown(), unlimited.shutdown()]);
});

function headers(count: number): string {
  return Array.from({ length: count }, (_, i) => `x${i}: y\r\n`).join("");
}

describe("two Host headers", () => {
  it.each([
    ["the same name twice", "Host: a.example\r\nHost: b.example\r\n"],
    ["names differing in case", "Host: a.example\r\nhOST: b.example\r\n"],
    ["the same value twice", "Host: a.example\r\nHost: a.example\r\n"],
  ])("answer 400 and close (%s); the handler never runs", async (_label, lines) => {
    calls = 0;
    const res = await rawRequest(handle.port, `GET /echo-host HTTP/1.1\r\n${lines}\r\n`);
    expect([res.status, res.headers.connection, res.json()]).toEqual([400, "close", { detail: "Bad Request" }]);
    expect(calls).toBe(0);
    await assertServing(handle.port);
  });

  it("refuse an upgrade request too, before any upgrade handler sees it", async () => {
    const res = await rawRequest(handle.port, "GET /echo-host HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
    expect(res.status).toBe(400);
    const flood = await rawRequest(handle.port, `GET /echo-host HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n${"a:b\r\n".repeat(500)}\r\n`);
    expect(flood.status).toBe(431);
  });

  it("one Host is served as before", async () => {
    const res = await rawRequest(handle.port, "GET /echo-host HTTP/1.1\r\nHost: a.example:8000\r\n\r\n");
    expect([res.status, res.json().host]).toEqual([200, "a.example:8000"]);
  });
});

describe("header count", () => {
  it("5,000 tiny headers (10 KB of names and values, under maxHeaderSize) answer 431 and close", async () => {
    const res = await rawRequest(handle.port, `GET /echo-host HTTP/1.1\r\nHost: x\r\n${"a:b\r\n".repeat(5_000)}\r\n`);
    expect([res.status, res.headers.connection]).toEqual([431, "close"]);
    await assertServing(handle.port);
  });

  it("100 header lines pass, 101 answer 431", async () => {
    const ok = await rawRequest(handle.port, `GET /echo-host HTTP/1.1\r\nHost: x\r\n${headers(99)}\r\n`);
    expect([ok.status, ok.json().headers]).toEqual([200, 100]);
    const over = await rawRequest(handle.port, `GET /echo-host HTTP/1.1\r\nHost: x\r\n${headers(100)}\r\n`);
    expect(over.status).toBe(431);
  });

  it("maxHeadersCount: 0 lifts the cap (the byte limit still applies)", async () => {
    const res = await rawRequest(unlimited.port, `GET /echo-host HTTP/1.1\r\nHost: x\r\n${headers(1_000)}\r\n`);
    expect(res.status).toBe(200);
  });
});
