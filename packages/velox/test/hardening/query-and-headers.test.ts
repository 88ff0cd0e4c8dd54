import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { assertServing, get, RawConnection, rawRequest } from "./raw-http.ts";

const params = (n: number) => Array.from({ length: n }, (_, i) => `p${i}=1`).join("&");

describe("query strings and request heads over a real socket", () => {
  let live: LiveServer;

  beforeAll(async () => {
    const app = new Velox({ logger: false });
    app.get("/health", {}, () => ({ ok: true }));
    app.get("/search", { query: { q: z.string().optional(), tag: z.array(z.string()).optional() } }, ({ query }) => query);
    app.get("/model", { query: z.object({ length: z.number().optional(), q: z.string().optional() }) }, ({ query }) => ({ query, length: query.length ?? null }));
    live = await serveForTest(app);
  });
  afterAll(() => live.close());
  afterEach(() => assertServing(live.port));

  it("a scalar sent twice → 422, never a silent pick", async () => {
    const res = await get(live.port, "/search?q=a&q=b");
    expect(res.status).toBe(422);
    expect(res.json()).toEqual({ detail: [{ type: "string_type", loc: ["query", "q"], msg: "Input should be a valid string", input: ["a", "b"] }] });
  });

  it("a declared array takes every repeated value", async () => {
    const res = await get(live.port, "/search?tag=a&tag=b");
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ tag: ["a", "b"] });
  });

  it("more than 1000 query parameters → 413; 1000 are fine", async () => {
    const over = await get(live.port, `/search?${params(1001)}`);
    expect(over.status).toBe(413);
    expect(over.json()).toEqual({ detail: "Too many query parameters" });
    expect((await get(live.port, `/search?${params(1000)}`)).status).toBe(200);
  });

  it("the cap follows the maxQueryParams option", async () => {
    const app = new Velox({ logger: false, maxQueryParams: 10 });
    app.get("/search", { query: { q: z.string().optional() } }, ({ query }) => query);
    const other = await serveForTest(app);
    try {
      expect((await get(other.port, `/search?${params(11)}`)).status).toBe(413);
      expect((await get(other.port, `/search?${params(10)}`)).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  // Bug in params/extract.ts (query/cookie/header models): `input[key] = ...` on a plain object lets
  // a repeated `__proto__` key set the model input's prototype to an array, so `length` is inherited.
  it("a repeated __proto__ query key cannot make a model inherit fields", async () => {
    const res = await get(live.port, "/model?__proto__=a&__proto__=b");
    expect(res.json()).toEqual({ query: {}, length: null });
  });

  it("a head over 16 KiB → 431 (one large header)", async () => {
    const conn = await RawConnection.open(live.port);
    conn.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(17 * 1024)}\r\n\r\n`);
    expect((await conn.nextResponse()).status).toBe(431);
    await conn.closed();
  });

  it("a head over 16 KiB → 431 (many headers)", async () => {
    const many = Array.from({ length: 200 }, (_, i) => `X-H${i}: ${"b".repeat(90)}`).join("\r\n");
    const res = await rawRequest(live.port, `GET /health HTTP/1.1\r\nHost: x\r\n${many}\r\n\r\n`);
    expect(res.status).toBe(431);
  });

  it("a head just under 16 KiB is served", async () => {
    const res = await rawRequest(live.port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(15 * 1024)}\r\n\r\n`);
    expect(res.status).toBe(200);
  });

  it("the head limit follows node's maxHeaderSize option", async () => {
    const app = new Velox({ logger: false });
    app.get("/health", {}, () => ({ ok: true }));
    const other = await serveForTest(app, { maxHeaderSize: 32 * 1024 });
    try {
      expect((await rawRequest(other.port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(17 * 1024)}\r\n\r\n`)).status).toBe(200);
      expect((await rawRequest(other.port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(33 * 1024)}\r\n\r\n`)).status).toBe(431);
    } finally {
      await other.close();
    }
  });
});
