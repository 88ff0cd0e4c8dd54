import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { assertServing, httpRequest, RawConnection, rawRequest } from "./raw-http.ts";

const MiB = 1024 * 1024;
const JSON_TYPE = { "Content-Type": "application/json" };

describe("body size limits over a real socket", () => {
  let live: LiveServer;
  let calls = 0;

  beforeAll(async () => {
    const app = new Velox({ logger: false });
    app.get("/health", {}, () => ({ ok: true }));
    app.post("/json", { body: z.object({ s: z.string() }) }, ({ body }) => {
      calls++;
      return { length: body.s.length };
    });
    app.post("/small", { body: z.object({ s: z.string() }), bodyLimit: 16 }, ({ body }) => {
      calls++;
      return { s: body.s };
    });
    app.post("/form", { form: { s: z.string() }, bodyLimit: 16 }, ({ form }) => {
      calls++;
      return { s: form.s };
    });
    live = await serveForTest(app);
  });
  afterAll(() => live.close());
  afterEach(async () => {
    await assertServing(live.port);
    calls = 0;
  });

  it("answers 413 from Content-Length over the 1 MiB default before reading any of the body", async () => {
    const conn = await RawConnection.open(live.port);
    // Only the head is sent: an answer proves the server decided without waiting for the body.
    conn.write(`POST /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${MiB + 1}\r\n\r\n`);
    const res = await conn.nextResponse();
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ detail: `Request body is larger than ${MiB} bytes` });
    expect(res.headers.connection).toBe("close");
    await conn.closed();
    expect(calls).toBe(0);
  });

  it("accepts a body of exactly 1 MiB", async () => {
    const body = JSON.stringify({ s: "a".repeat(MiB - 8) });
    expect(Buffer.byteLength(body)).toBe(MiB);
    const res = await rawRequest(live.port, httpRequest("POST", "/json", JSON_TYPE, body));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ length: MiB - 8 });
  });

  it("applies a route's bodyLimit to the declared length", async () => {
    const conn = await RawConnection.open(live.port);
    conn.write("POST /small HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n");
    const res = await conn.nextResponse();
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ detail: "Request body is larger than 16 bytes" });
    await conn.closed();
    const exactly16 = '{"s":"12345678"}';
    expect(exactly16).toHaveLength(16);
    const ok = await rawRequest(live.port, httpRequest("POST", "/small", JSON_TYPE, exactly16));
    expect(ok.status).toBe(200);
    expect(calls).toBe(1);
  });

  it("applies the limit to URL-encoded forms too", async () => {
    const conn = await RawConnection.open(live.port);
    conn.write("POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n");
    expect((await conn.nextResponse()).status).toBe(413);
    await conn.closed();
    expect(calls).toBe(0);
  });

  it("answers 413 to a chunked body as soon as it passes the limit, and closes the connection", async () => {
    const conn = await RawConnection.open(live.port);
    conn.write("POST /small HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    conn.write('8\r\n{"s":"ab\r\n');
    conn.write("10\r\n0123456789abcdef\r\n");
    // No terminating chunk is ever sent: the answer cannot wait for the end of the body.
    const res = await conn.nextResponse();
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ detail: "Request body is larger than 16 bytes" });
    expect(res.headers.connection).toBe("close");
    await conn.closed();
    expect(calls).toBe(0);
  });

  it("reads a chunked body under the limit", async () => {
    const conn = await RawConnection.open(live.port);
    conn.write("POST /small HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    conn.write('6\r\n{"s":"\r\n4\r\nabc"\r\n1\r\n}\r\n0\r\n\r\n');
    const res = await conn.nextResponse();
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ s: "abc" });
    conn.destroy();
  });

  it("takes the app-wide default from the bodyLimit option", async () => {
    const app = new Velox({ logger: false, bodyLimit: 100 });
    app.post("/json", { body: z.object({ s: z.string() }) }, ({ body }) => ({ length: body.s.length }));
    const other = await serveForTest(app);
    try {
      const conn = await RawConnection.open(other.port);
      conn.write("POST /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 101\r\n\r\n");
      const res = await conn.nextResponse();
      expect(res.status).toBe(413);
      expect(res.json()).toEqual({ detail: "Request body is larger than 100 bytes" });
      conn.destroy();
      const ok = await rawRequest(other.port, httpRequest("POST", "/json", JSON_TYPE, JSON.stringify({ s: "a".repeat(90) })));
      expect(ok.status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
