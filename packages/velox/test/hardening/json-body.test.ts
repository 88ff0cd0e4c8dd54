import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { assertServing, get, httpRequest, RawConnection, rawRequest } from "./raw-http.ts";

const post = (port: number, path: string, headers: Record<string, string>, body: string | Buffer) =>
  rawRequest(port, httpRequest("POST", path, headers, body));
const JSON_TYPE = { "Content-Type": "application/json" };
const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("JSON bodies over a real socket", () => {
  let live: LiveServer;
  let calls = 0;

  beforeAll(async () => {
    const app = new Velox({ logger: false });
    app.get("/health", {}, () => ({ ok: true }));
    app.post("/any", { body: z.unknown() }, ({ body }) => {
      calls++;
      return { body };
    });
    app.post("/item", { body: z.object({ name: z.string() }).passthrough() }, ({ body }) => {
      calls++;
      return body;
    });
    app.post("/numbers", { body: z.object({ n: z.int().optional(), x: z.number().optional() }) }, ({ body }) => {
      calls++;
      return body;
    });
    app.get("/int/{id}", { path: { id: z.int() }, query: { n: z.int().optional() } }, ({ path, query }) => ({ id: path.id, n: query.n }));
    live = await serveForTest(app);
  });
  afterAll(() => live.close());
  afterEach(async () => {
    await assertServing(live.port);
    calls = 0;
  });

  describe("Content-Type: 415 unless it is JSON, and the body is never parsed", () => {
    it.each([
      ["text/plain"],
      ["text/plain;charset=utf-8"],
      ["application/jsonx"],
      ["application/json\t;charset=utf-8"],
      ["application/json\tx"],
      ["application/x-www-form-urlencoded"],
      ["multipart/form-data; boundary=x"],
      ["application/json, text/plain"],
      ["json"],
      [""],
    ])("%j → 415", async (contentType) => {
      // Would be 422 (invalid JSON) if it were parsed.
      const res = await post(live.port, "/any", { "Content-Type": contentType }, "{not json");
      expect(res.status).toBe(415);
      expect(res.json()).toEqual({ detail: "Content-Type must be application/json" });
      expect(calls).toBe(0);
    });

    it("a missing Content-Type → 415", async () => {
      const res = await post(live.port, "/any", {}, '{"__proto__":{"x":1}}');
      expect(res.status).toBe(415);
      expect(calls).toBe(0);
    });

    it("decides from the head alone, before the body is read", async () => {
      const conn = await RawConnection.open(live.port);
      conn.write("POST /any HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 50\r\n\r\n");
      expect((await conn.nextResponse()).status).toBe(415);
      conn.destroy();
    });

    it.each([
      ["application/json"],
      ["application/json; charset=utf-8"],
      ['Application/JSON;charset="UTF-8"'],
      ["application/vnd.api+json"],
      ["application/merge-patch+json"],
    ])("%j is accepted", async (contentType) => {
      const res = await post(live.port, "/any", { "Content-Type": contentType }, '{"a":1}');
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ body: { a: 1 } });
    });

    it.each([["latin1"], ["iso-8859-1"], ["utf-16"], ['"windows-1252"']])("charset=%s → 415", async (charset) => {
      const res = await post(live.port, "/any", { "Content-Type": `application/json; charset=${charset}` }, '{"a":1}');
      expect(res.status).toBe(415);
      expect(res.json()).toEqual({ detail: "Only charset=utf-8 is supported for JSON bodies" });
      expect(calls).toBe(0);
    });
  });

  describe("FastAPI's answers for empty and invalid JSON", () => {
    const missing = { detail: [{ type: "missing", loc: ["body"], msg: "Field required", input: null }] };

    it("an empty body (Content-Length: 0) → 422 missing", async () => {
      const res = await post(live.port, "/item", JSON_TYPE, "");
      expect(res.status).toBe(422);
      expect(res.json()).toEqual(missing);
    });

    it("an empty chunked body → 422 missing", async () => {
      const res = await rawRequest(live.port, "POST /item HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
      expect(res.status).toBe(422);
      expect(res.json()).toEqual(missing);
    });

    it("invalid JSON → 422 json_invalid in FastAPI's shape", async () => {
      const res = await post(live.port, "/item", JSON_TYPE, '{"name":');
      expect(res.status).toBe(422);
      expect(res.json()).toEqual({ detail: [{ type: "json_invalid", loc: ["body", 8], msg: "JSON decode error", input: {}, ctx: { error: "Expecting value" } }] });
      expect(calls).toBe(0);
    });

    // The wording of ctx.error for each syntax error is pinned by the FastAPI 422 table tests.
    it.each([
      ["{name: 1}", 1],
      ['{"name" 1}', 8],
      ["[1 2]", 3],
      ['{"name":"a"} x', 13],
    ])("%j → 422 json_invalid at char %i", async (text, position) => {
      const res = await post(live.port, "/item", JSON_TYPE, text);
      expect(res.status).toBe(422);
      const [detail] = res.json().detail;
      expect(detail).toMatchObject({ type: "json_invalid", loc: ["body", position], msg: "JSON decode error", input: {} });
      expect(calls).toBe(0);
    });
  });

  describe("prototype poisoning", () => {
    it.each([
      ['{"name":"a","__proto__":{"polluted":true}}'],
      ['{"name":"a","nested":[{"__proto__":{"polluted":true}}]}'],
      ['{"name":"a","constructor":{"prototype":{"polluted":true}}}'],
      ['{"name":"a","\\u005f_proto__":{"polluted":true}}'],
      ['{"name":"a","constr\\u0075ctor":{"prot\\u006ftype":{"polluted":true}}}'],
    ])("%s → 400 and Object.prototype untouched", async (text) => {
      const before = Object.getOwnPropertyNames(Object.prototype).sort();
      const res = await post(live.port, "/item", JSON_TYPE, text);
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ detail: "JSON body contains a forbidden __proto__ or constructor.prototype key" });
      expect(calls).toBe(0);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    });

    it("a plain constructor key is data, not an attack", async () => {
      const res = await post(live.port, "/item", JSON_TYPE, '{"name":"a","constructor":"b"}');
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ name: "a", constructor: "b" });
    });
  });

  describe("nesting and encoding", () => {
    it("accepts 64 levels of nesting", async () => {
      const res = await post(live.port, "/any", JSON_TYPE, nested(64));
      expect(res.status).toBe(200);
    });

    it.each([[65], [1000], [400_000]])("%i levels → 400", async (depth) => {
      const res = await post(live.port, "/any", JSON_TYPE, nested(depth));
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ detail: "JSON body is nested deeper than 64 levels" });
      expect(calls).toBe(0);
    });

    it("brackets inside strings do not count as nesting", async () => {
      const res = await post(live.port, "/any", JSON_TYPE, JSON.stringify({ s: "[".repeat(200), t: '\\"[[[' }));
      expect(res.status).toBe(200);
    });

    it.each([
      ["an invalid byte", Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])],
      ["an overlong encoding of '/'", Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d])],
      ["a UTF-16 surrogate encoded in UTF-8", Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d])],
      ["a truncated sequence", Buffer.from([0x7b, 0x22, 0xe2, 0x82, 0x22, 0x3a, 0x31, 0x7d])],
    ])("non-UTF-8 bytes (%s) → 400", async (_label, bytes) => {
      const res = await post(live.port, "/any", JSON_TYPE, bytes);
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ detail: "Request body is not valid UTF-8" });
      expect(calls).toBe(0);
    });
  });

  describe("numbers beyond what a double holds exactly", () => {
    it.each([
      ['{"n":9007199254740992}'],
      ['{"n":-9007199254740992}'],
      ['{"n":123456789012345678901234567890}'],
      ['{"n":1e400}'],
      ['{"n":-1e400}'],
      ['{"x":1e400}'],
    ])("%s → 422", async (text) => {
      const res = await post(live.port, "/numbers", JSON_TYPE, text);
      expect(res.status).toBe(422);
      expect(res.json().detail[0].loc).toEqual(["body", text.includes('"x"') ? "x" : "n"]);
      expect(calls).toBe(0);
    });

    it("accepts ±(2^53−1)", async () => {
      for (const n of [9007199254740991, -9007199254740991]) {
        const res = await post(live.port, "/numbers", JSON_TYPE, `{"n":${n}}`);
        expect(res.status).toBe(200);
        expect(res.json()).toEqual({ n });
      }
    });

    it.each([["/int/9007199254740992"], ["/int/1?n=-9007199254740992"], ["/int/1e400"], ["/int/1?n=99999999999999999999"]])("%s → 422 from path and query too", async (url) => {
      const res = await get(live.port, url);
      expect(res.status).toBe(422);
    });
  });
});
