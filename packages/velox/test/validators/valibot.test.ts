import * as v from "valibot";
import { afterAll, describe, expect, it } from "vitest";
import { Velox } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { fastapiCases, replay } from "./fastapi-cases.ts";

const int = () => v.pipe(v.number(), v.integer());

/** The Valibot twin of fastapi-reference.py. */
function referenceApp(): Velox {
  const Item = v.object({
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(20)),
    price: v.pipe(v.number(), v.gtValue(0)),
    tax: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0),
    quantity: v.optional(v.pipe(int(), v.minValue(1), v.ltValue(1000)), 1),
    pack: v.optional(v.pipe(int(), v.multipleOf(5)), 5),
    kind: v.optional(v.enum({ A: "a", B: "b", C: "c" }), "a"),
    mode: v.optional(v.literal("fast"), "fast"),
    tags: v.optional(v.pipe(v.array(v.string()), v.minLength(1), v.maxLength(3)), ["x"]),
    active: v.optional(v.boolean(), true),
    dimensions: v.nullish(v.object({ width: v.number(), height: v.number() })),
    variants: v.optional(v.array(v.object({ sku: v.pipe(v.string(), v.minLength(2)), stock: v.optional(int(), 0) })), []),
    id: v.nullish(v.pipe(v.string(), v.uuid())),
    created: v.nullish(v.pipe(v.string(), v.isoTimestamp())),
    contact: v.nullish(v.pipe(v.string(), v.email())),
  });
  const itemId = v.pipe(int(), v.minValue(1));
  const ok = () => ({ ok: true });
  const app = new Velox({ logger: false });
  app.get("/items/{item_id}", {
    path: { item_id: itemId },
    query: {
      q: v.optional(v.pipe(v.string(), v.minLength(3), v.maxLength(10))),
      size: v.optional(v.pipe(int(), v.gtValue(0), v.ltValue(100)), 10),
      ratio: v.optional(v.number()),
      active: v.optional(v.boolean()),
      code: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{3}$/))),
      ids: v.optional(v.array(int())),
    },
  }, ok);
  app.get("/search", { query: { needed: v.string(), page: v.optional(int(), 1) } }, ok);
  app.get("/whoami", { headers: { x_token: v.string(), x_retries: v.optional(int(), 0) }, cookies: { session_id: v.string() } }, ok);
  app.post("/items", { body: Item }, ok);
  app.post("/strict", { body: v.strictObject({ a: int() }) }, ok);
  app.put("/items/{item_id}", { path: { item_id: itemId }, query: { limit: v.optional(int(), 10) }, headers: { x_token: v.string() }, body: Item }, ok);
  return app;
}

describe("Valibot end to end", () => {
  const User = v.object({ id: int(), name: v.string() });
  const app = new Velox({ logger: false });
  app.get("/coerce/{id}", {
    path: { id: int() },
    query: { ratio: v.number(), flag: v.boolean(), ids: v.array(int()), names: v.optional(v.array(v.string())) },
    headers: { x_count: int(), x_debug: v.optional(v.boolean()) },
    cookies: { visits: int(), seen: v.optional(v.boolean()) },
  }, (ctx) => ({ path: ctx.path, query: ctx.query, headers: ctx.headers, cookies: ctx.cookies }));
  app.get("/model", { query: v.object({ page: v.optional(int(), 1), tags: v.optional(v.array(v.string()), []) }) }, ({ query }) => query);
  app.post("/users", { body: v.object({ name: v.pipe(v.string(), v.minLength(1)) }), status: 201, response: User }, ({ body }) => ({
    id: 7, name: body.name, password_hash: "secret",
  }));
  // The type checker refuses this handler too; the cast stands for untyped data (a database row).
  app.get("/broken", { response: User }, () => JSON.parse('{"id": "seven", "name": "x"}') as { id: number; name: string });
  const client = new TestClient(app);
  afterAll(() => client.close());

  it("coerces path, query, header and cookie strings from the schema's JSON type", async () => {
    const res = await client.get("/coerce/5", {
      query: { ratio: "2.5", flag: "true", ids: ["1", "2"], names: "solo" },
      headers: { "x-count": "3", "x-debug": "off" },
      cookies: { visits: "4", seen: "1" },
    });
    expect(res.json()).toEqual({
      path: { id: 5 },
      query: { ratio: 2.5, flag: true, ids: [1, 2], names: ["solo"] },
      headers: { x_count: 3, x_debug: false },
      cookies: { visits: 4, seen: true },
    });
  });

  it("coerces a query model and reads its arrays from repeated keys", async () => {
    expect((await client.get("/model", { query: { page: "2", tags: ["a", "b"] } })).json()).toEqual({ page: 2, tags: ["a", "b"] });
    expect((await client.get("/model")).json()).toEqual({ page: 1, tags: [] });
  });

  it("answers 422 in FastAPI's shape for strings that do not coerce", async () => {
    const res = await client.get("/coerce/x", { query: { ratio: "r", flag: "maybe", ids: ["1", "y"] }, headers: { "x-count": "3" }, cookies: { visits: "4" } });
    expect(res.status).toBe(422);
    expect(res.json()).toEqual({
      detail: [
        { type: "int_parsing", loc: ["path", "id"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "x" },
        { type: "float_parsing", loc: ["query", "ratio"], msg: "Input should be a valid number, unable to parse string as a number", input: "r" },
        { type: "bool_parsing", loc: ["query", "flag"], msg: "Input should be a valid boolean, unable to interpret input", input: "maybe" },
        { type: "int_parsing", loc: ["query", "ids", 1], msg: "Input should be a valid integer, unable to parse string as an integer", input: "y" },
      ],
    });
  });

  it("validates bodies and filters the response through its model", async () => {
    const res = await client.post("/users", { json: { name: "Ada" } });
    expect(res.status).toBe(201);
    expect(res.json()).toEqual({ id: 7, name: "Ada" });
    expect(res.text).not.toContain("password_hash");
    const bad = await client.post("/users", { json: { name: "" } });
    expect(bad.json()).toEqual({
      detail: [{ type: "string_too_short", loc: ["body", "name"], msg: "String should have at least 1 character", input: "", ctx: { min_length: 1 } }],
    });
  });

  it("answers 500 when a handler breaks its response model", async () => {
    const res = await client.get("/broken");
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ detail: "Internal Server Error" });
  });
});

describe("422 bodies are FastAPI's (Valibot app)", () => {
  // Valibot has no safe-integer limit unless asked, so it accepts 2^56 like Python.
  const sameAsFastapi = new Set(["integer beyond 2^53 in body"]);
  const client = new TestClient(referenceApp());
  afterAll(() => client.close());

  it.each(fastapiCases)("$name", async ({ name, request, fastapi, velox }) => {
    const expected = velox && !sameAsFastapi.has(name) ? { status: velox.status, body: velox.body } : fastapi;
    expect(await replay(client, request)).toEqual(expected);
  });
});
