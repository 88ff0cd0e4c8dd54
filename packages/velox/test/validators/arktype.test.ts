import { type } from "arktype";
import { afterAll, describe, expect, it } from "vitest";
import { Velox } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { fastapiCases, replay } from "./fastapi-cases.ts";

/**
 * The ArkType twin of fastapi-reference.py. `/items/{item_id}` declares its query as one model
 * (ArkType writes defaults inside objects: `"number = 10"`); the other routes declare parameters
 * one by one, optional ones as `T | undefined`.
 */
function referenceApp(): Velox {
  const Item = type({
    name: "1 <= string <= 20",
    price: "number > 0",
    "tax?": "0 <= number <= 1",
    "quantity?": "1 <= number.integer < 1000",
    "pack?": "number.integer % 5",
    "kind?": "'a' | 'b' | 'c'",
    "mode?": "'fast'",
    "tags?": "1 <= string[] <= 3",
    "active?": "boolean",
    "dimensions?": type({ width: "number", height: "number" }).or("null"),
    "variants?": type({ sku: "string >= 2", "stock?": "number.integer" }).array(),
    "id?": "string.uuid | null",
    "created?": "string.date.iso | null",
    "contact?": "string.email | null",
  });
  const itemId = type("number.integer >= 1");
  const optionalInt = type("number.integer | undefined");
  const ok = () => ({ ok: true });
  const app = new Velox({ logger: false });
  app.get("/items/{item_id}", {
    path: { item_id: itemId },
    query: type({
      "q?": "3 <= string <= 10",
      size: "0 < number.integer < 100 = 10",
      "ratio?": "number",
      "active?": "boolean",
      "code?": /^[A-Z]{3}$/,
      "ids?": "number.integer[]",
    }),
  }, ok);
  app.get("/search", { query: { needed: type("string"), page: optionalInt } }, ok);
  app.get("/whoami", { headers: { x_token: type("string"), x_retries: optionalInt }, cookies: { session_id: type("string") } }, ok);
  app.post("/items", { body: Item }, ok);
  app.post("/strict", { body: type({ "+": "reject", a: "number.integer" }) }, ok);
  app.put("/items/{item_id}", { path: { item_id: itemId }, query: { limit: optionalInt }, headers: { x_token: type("string") }, body: Item }, ok);
  return app;
}

describe("ArkType end to end", () => {
  const User = type({ id: "number.integer", name: "string" });
  const app = new Velox({ logger: false });
  app.get("/coerce/{id}", {
    path: { id: type("number.integer") },
    query: { ratio: type("number"), flag: type("boolean"), ids: type("number.integer[]"), names: type("string[] | undefined") },
    headers: { x_count: type("number.integer"), x_debug: type("boolean | undefined") },
    cookies: { visits: type("number.integer"), seen: type("boolean | undefined") },
  }, (ctx) => ({ path: ctx.path, query: ctx.query, headers: ctx.headers, cookies: ctx.cookies }));
  app.get("/model", { query: type({ page: "number.integer = 1", "tags?": "string[]" }) }, ({ query }) => query);
  app.post("/users", { body: type({ name: "string >= 1" }), status: 201, response: User }, ({ body }) => ({
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
    expect((await client.get("/model")).json()).toEqual({ page: 1 });
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

describe("422 bodies are FastAPI's (ArkType app)", () => {
  // `number.integer` has no safe-integer limit, so ArkType accepts 2^56 like Python.
  const sameAsFastapi = new Set(["integer beyond 2^53 in body"]);
  const client = new TestClient(referenceApp());
  afterAll(() => client.close());

  it.each(fastapiCases)("$name", async ({ name, request, fastapi, velox }) => {
    const expected = velox && !sameAsFastapi.has(name) ? { status: velox.status, body: velox.body } : fastapi;
    expect(await replay(client, request)).toEqual(expected);
  });
});
