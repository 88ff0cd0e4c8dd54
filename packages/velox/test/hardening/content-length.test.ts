import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { assertServing, RawConnection, type RawResponse } from "./raw-http.ts";

const REQUEST_TIMEOUT = 800;
const HEADERS_TIMEOUT = 500;

async function readUntilClosed(conn: RawConnection): Promise<RawResponse[]> {
  const responses: RawResponse[] = [];
  for (;;) {
    try {
      responses.push(await conn.nextResponse());
    } catch {
      break;
    }
  }
  await conn.closed();
  return responses;
}

describe("Content-Length that does not match the bytes sent", () => {
  let live: LiveServer;
  let calls = 0;

  beforeAll(async () => {
    const app = new Velox({ logger: false });
    app.get("/health", {}, () => ({ ok: true }));
    app.post("/echo", { body: z.object({ n: z.int() }) }, ({ body }) => {
      calls++;
      return body;
    });
    live = await serveForTest(app, { requestTimeout: REQUEST_TIMEOUT, headersTimeout: HEADERS_TIMEOUT, connectionsCheckingInterval: 50 });
  });
  afterAll(() => live.close());
  afterEach(async () => {
    await assertServing(live.port);
    calls = 0;
  });

  it("answers 408 at requestTimeout when the sender stalls short of Content-Length", async () => {
    const conn = await RawConnection.open(live.port);
    const started = performance.now();
    conn.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"n":');
    const res = await conn.nextResponse({ timeoutMs: REQUEST_TIMEOUT + 5000 });
    const elapsed = performance.now() - started;
    expect(res.status).toBe(408);
    expect(elapsed).toBeGreaterThanOrEqual(REQUEST_TIMEOUT - 100);
    expect(elapsed).toBeLessThan(REQUEST_TIMEOUT + 3000);
    await conn.closed();
    expect(calls).toBe(0);
  });

  it("parses bytes beyond Content-Length as the next request, which answers 400 and closes", async () => {
    const conn = await RawConnection.open(live.port);
    // Declares 7 bytes ({"n":1}) and sends more: the surplus is not a request line.
    conn.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{"n":1}, "smuggled": true}\r\n\r\n');
    const responses = await readUntilClosed(conn);
    expect(responses.at(-1)?.status).toBe(400);
    // The declared bytes alone may or may not have been answered first; the surplus never joined them.
    for (const res of responses.slice(0, -1)) {
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ n: 1 });
    }
  });

  it("refuses Content-Length together with Transfer-Encoding (request smuggling) with 400", async () => {
    const conn = await RawConnection.open(live.port);
    conn.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n{"n":1}\r\n0\r\n\r\n');
    const responses = await readUntilClosed(conn);
    expect(responses.map((r) => r.status)).toEqual([400]);
    expect(calls).toBe(0);
  });

  it.each([
    ["two different lengths", "Content-Length: 7\r\nContent-Length: 8"],
    ["a negative length", "Content-Length: -1"],
    ["a length that is not a number", "Content-Length: 7x"],
  ])("refuses %s with 400", async (_label, header) => {
    const conn = await RawConnection.open(live.port);
    conn.write(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${header}\r\n\r\n{"n":1}`);
    const responses = await readUntilClosed(conn);
    expect(responses.map((r) => r.status)).toEqual([400]);
    expect(calls).toBe(0);
  });

  it("answers 408 at headersTimeout when the head never completes", async () => {
    const conn = await RawConnection.open(live.port);
    const started = performance.now();
    conn.write("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n");
    const res = await conn.nextResponse({ timeoutMs: HEADERS_TIMEOUT + 5000 });
    const elapsed = performance.now() - started;
    expect(res.status).toBe(408);
    expect(elapsed).toBeGreaterThanOrEqual(HEADERS_TIMEOUT - 100);
    expect(elapsed).toBeLessThan(HEADERS_TIMEOUT + 3000);
    await conn.closed();
  });

  it("answers 408 at headersTimeout to a client trickling header bytes", async () => {
    const conn = await RawConnection.open(live.port);
    const started = performance.now();
    conn.write("GET /health HTTP/1.1\r\nHost: x\r\n");
    // One byte every 100 ms keeps the socket busy but never finishes the head (slowloris).
    const drip = setInterval(() => {
      if (!conn.isClosed) conn.write("a");
    }, 100);
    try {
      const res = await conn.nextResponse({ timeoutMs: HEADERS_TIMEOUT + 5000 });
      expect(res.status).toBe(408);
      expect(performance.now() - started).toBeLessThan(HEADERS_TIMEOUT + 3000);
      await conn.closed();
    } finally {
      clearInterval(drip);
    }
  });
});
