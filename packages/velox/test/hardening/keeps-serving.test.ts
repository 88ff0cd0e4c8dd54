import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { assertServing, httpRequest, RawConnection } from "./raw-http.ts";

const json = { "Content-Type": "application/json" };

/** Every hostile request of the battery, as raw bytes (each on its own connection). */
const BATTERY: [string, string | Buffer][] = [
  ["body over the limit (declared)", "POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n"],
  ["body over the limit (chunked)", `POST /small HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n100\r\n${"a".repeat(256)}\r\n`],
  ["Content-Length shorter than the body", 'POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{"name":"a"}'],
  ["Content-Length and chunked", "POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"],
  ["text/plain JSON", httpRequest("POST", "/items", { "Content-Type": "text/plain" }, '{"name":"a"}')],
  ["empty JSON", httpRequest("POST", "/items", json, "")],
  ["invalid JSON", httpRequest("POST", "/items", json, '{"name":')],
  ["__proto__", httpRequest("POST", "/items", json, '{"__proto__":{"x":1}}')],
  ["deep JSON", httpRequest("POST", "/items", json, `${"[".repeat(5000)}${"]".repeat(5000)}`)],
  ["non-UTF-8", httpRequest("POST", "/items", json, Buffer.from([0x7b, 0xff, 0x7d]))],
  ["latin1 charset", httpRequest("POST", "/items", { "Content-Type": "application/json; charset=latin1" }, "{}")],
  ["huge integer", httpRequest("POST", "/items", json, '{"name":"a","qty":1e400}')],
  ["repeated scalar", httpRequest("GET", "/items?q=a&q=b")],
  ["1001 query params", httpRequest("GET", `/items?${Array.from({ length: 1001 }, (_, i) => `p${i}=1`).join("&")}`)],
  ["17 KiB head", `GET /items HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(17 * 1024)}\r\n\r\n`],
  ["garbage request line", "HELLO\r\n\r\n"],
  ["bad HTTP version", "GET / HTTP/9.9\r\nHost: x\r\n\r\n"],
  ["CR/LF echoed into a header", httpRequest("GET", "/echo?v=a%0d%0aSet-Cookie:%20x=1")],
  ["handler throws", httpRequest("GET", "/boom")],
  ["handler rejects", httpRequest("GET", "/boom-async")],
  ["unknown path", httpRequest("GET", "/nope")],
  ["wrong method", httpRequest("DELETE", "/items")],
  ["NUL in the path", httpRequest("GET", "/items%00")],
  ["invalid percent-encoding", httpRequest("GET", "/items/%zz")],
];

describe("the server keeps serving after every bad request", () => {
  let live: LiveServer;
  const serverSockets: Socket[] = [];
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);

  beforeAll(async () => {
    const app = new Velox({ logger: false });
    app.get("/health", {}, () => ({ ok: true }));
    app.get("/items", { query: { q: z.string().optional() } }, () => []);
    app.post("/items", { body: z.object({ name: z.string(), qty: z.int().optional() }) }, ({ body }) => body);
    app.post("/small", { body: z.unknown(), bodyLimit: 64 }, ({ body }) => ({ body }));
    app.get("/echo", { query: { v: z.string() } }, (ctx) => {
      ctx.response.setHeader("x-echo", ctx.query.v);
      return {};
    });
    app.get("/boom", {}, () => {
      throw new Error("secret internal detail");
    });
    app.get("/boom-async", {}, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error("secret internal detail");
    });
    live = await serveForTest(app);
    live.server.on("connection", (socket: Socket) => serverSockets.push(socket));
    process.on("warning", onWarning);
  });
  afterAll(async () => {
    process.off("warning", onWarning);
    await live.close();
  });

  it("answers each hostile request, then serves the next client, without leaking listeners or sockets", async () => {
    const serverListeners = () => Object.fromEntries(live.server.eventNames().map((e) => [String(e), live.server.listenerCount(e)]));
    const processListeners = () => ["uncaughtException", "unhandledRejection", "warning", "exit"].map((e) => process.listenerCount(e));
    const before = { server: serverListeners(), process: processListeners() };
    const answers: Record<string, number | "closed"> = {};
    for (const [label, bytes] of BATTERY) {
      const conn = await RawConnection.open(live.port);
      conn.write(bytes);
      try {
        const res = await conn.nextResponse();
        answers[label] = res.status;
        expect(res.text()).not.toContain("secret internal detail");
      } catch {
        answers[label] = "closed";
      }
      conn.destroy();
      await assertServing(live.port);
    }
    expect(answers).toEqual({
      "body over the limit (declared)": 413,
      "body over the limit (chunked)": 413,
      // The 2 declared bytes (`{"`) are answered first (invalid JSON); the rest is a malformed next request.
      "Content-Length shorter than the body": 422,
      "Content-Length and chunked": 400,
      "text/plain JSON": 415,
      "empty JSON": 422,
      "invalid JSON": 422,
      __proto__: 400,
      "deep JSON": 400,
      "non-UTF-8": 400,
      "latin1 charset": 415,
      "huge integer": 422,
      "repeated scalar": 422,
      "1001 query params": 413,
      "17 KiB head": 431,
      "garbage request line": 400,
      "bad HTTP version": 400,
      "CR/LF echoed into a header": 500,
      "handler throws": 500,
      "handler rejects": 500,
      "unknown path": 404,
      "wrong method": 405,
      "NUL in the path": 404,
      "invalid percent-encoding": 404,
    });
    expect({ server: serverListeners(), process: processListeners() }).toEqual(before);
    expect(warnings.map((w) => w.name)).not.toContain("MaxListenersExceededWarning");
    await expect.poll(() => new Promise<number>((resolve) => live.server.getConnections((_err, n) => resolve(n))), { timeout: 3000 }).toBe(0);
  });

  it("a keep-alive connection answering error after error does not grow its listeners", async () => {
    const conn = await RawConnection.open(live.port);
    const errorRequests = [
      httpRequest("GET", "/nope"),
      httpRequest("DELETE", "/items"),
      httpRequest("POST", "/items", { "Content-Type": "text/plain" }, "{}"),
      httpRequest("POST", "/items", json, "{"),
      httpRequest("GET", "/items?q=a&q=b"),
      httpRequest("GET", "/boom"),
      httpRequest("GET", "/echo?v=a%0d%0ab"),
    ];
    let socket: Socket | undefined;
    let baseline: Record<string, number> = {};
    const listeners = (s: Socket) => Object.fromEntries(s.eventNames().map((e) => [String(e), s.listenerCount(e)]));
    for (let round = 0; round < 30; round++) {
      for (const bytes of errorRequests) {
        conn.write(bytes);
        const res = await conn.nextResponse();
        expect(res.status).toBeGreaterThanOrEqual(400);
      }
      socket ??= serverSockets.at(-1);
      if (round === 1) baseline = listeners(socket!);
    }
    expect(conn.isClosed).toBe(false);
    expect(listeners(socket!)).toEqual(baseline);
    conn.destroy();
  });
});
