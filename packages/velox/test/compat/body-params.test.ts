/**
 * Several body parameters, Body(embed=True), header options and the FastAPI-compatibility switch
 * through the app, against FastAPI's own answers (body-params-cases.json, from
 * body-params-reference.py).
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { param, Velox } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const fastapi = JSON.parse(readFileSync(new URL("./body-params-cases.json", import.meta.url), "utf8")) as Record<string, any>;

const Item = z.object({ name: z.string(), price: z.number(), tax: z.number().nullable().default(null) }).meta({ id: "Item" });
const User = z.object({ username: z.string(), full_name: z.string().nullable().default(null) }).meta({ id: "User" });

function buildApp(compat?: "fastapi"): Velox {
  // FastAPI's generate_unique_id, so the Body_<operationId> names match.
  const generateOperationId = ({ name, path, method }: { name: string | undefined; path: string; method: string }) => `${name}${path}`.replace(/\W/g, "_") + `_${method}`;
  const app = new Velox({ logger: false, openapi: { generateOperationId }, ...(compat ? { compat } : {}) });
  app.put("/items/{item_id}", { name: "update_item", path: { item_id: z.int() }, body: { item: Item, user: User, importance: z.int() } }, ({ path, body }) => ({ item_id: path.item_id, ...body }));
  app.put("/embed/{item_id}", { name: "embed", path: { item_id: z.int() }, body: { item: Item } }, ({ path, body }) => ({ item_id: path.item_id, item: body.item }));
  app.post("/plain", { body: Item }, ({ body }) => body);
  app.get("/hdr", {
    headers: {
      strange_header: param(z.string().nullable().default(null), { convertUnderscores: false }),
      x_token: z.string().nullable().default(null),
      hidden: param(z.string().nullable().default(null), { includeInSchema: false }),
    },
  }, ({ headers }) => headers);
  return app;
}

const strict = new TestClient(buildApp());
const compat = new TestClient(buildApp("fastapi"));
afterAll(async () => {
  await strict.close();
  await compat.close();
});

async function same(client: TestClient, name: string, method: string, url: string, options: Parameters<TestClient["request"]>[2]) {
  const res = await client.request(method, url, options);
  expect({ status: res.status, body: res.json() }, name).toEqual(fastapi[name]);
}

describe("several body parameters, as FastAPI", () => {
  it("reads and answers like FastAPI", async () => {
    await same(strict, "multi ok", "PUT", "/items/5", { json: { item: { name: "Foo", price: 35.4 }, user: { username: "dave" }, importance: 5 } });
    await same(strict, "multi bad", "PUT", "/items/5", { json: { item: { name: "Foo", price: "x" }, user: {}, importance: "high" } });
    await same(strict, "multi missing", "PUT", "/items/5", { json: {} });
    await same(strict, "multi empty", "PUT", "/items/5", { body: "", headers: { "content-type": "application/json" } });
    await same(strict, "multi not object", "PUT", "/items/5", { json: [1, 2] });
    await same(strict, "multi null", "PUT", "/items/5", { body: "null", headers: { "content-type": "application/json" } });
    await same(strict, "embed ok", "PUT", "/embed/5", { json: { item: { name: "Foo", price: 1 } } });
    await same(strict, "embed unembedded", "PUT", "/embed/5", { json: { name: "Foo", price: 1 } });
  });

  it("documents the body as FastAPI's Body_<operationId> component", async () => {
    const spec = (await strict.get("/openapi.json")).json();
    const expected = fastapi["openapi multi"];
    const opId = "update_item_items__item_id__put";
    const put = spec.paths["/items/{item_id}"].put;
    expect(put.operationId).toBe(opId);
    expect(put.requestBody).toEqual(expected.requestBody);
    // Zod writes z.int()'s safe-integer bounds into its JSON Schema; Pydantic has none to write.
    const component = structuredClone(spec.components.schemas[`Body_${opId}`]);
    delete component.properties.importance.minimum;
    delete component.properties.importance.maximum;
    expect(component).toEqual(expected.component);
    const embed = spec.paths["/embed/{item_id}"].put;
    expect(embed.requestBody).toEqual(fastapi["openapi embed"].requestBody);
    expect(spec.components.schemas["Body_embed_embed__item_id__put"]).toEqual(fastapi["openapi embed"].component);
  });
});

describe("header options", () => {
  it("reads strange_header literally, documents it by its wire name and hides hidden", async () => {
    await same(strict, "hdr", "GET", "/hdr", { headers: { strange_header: "a", "x-token": "b", hidden: "h" } });
    await same(strict, "hdr dashed", "GET", "/hdr", { headers: { "strange-header": "a" } });
    const spec = (await strict.get("/openapi.json")).json();
    const names = spec.paths["/hdr"].get.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(fastapi["openapi hdr"].map((p: { name: string }) => p.name));
  });
});

describe("the FastAPI-compatibility switch", () => {
  it("is strict by default: no coercion in JSON bodies, 415 for a wrong Content-Type", async () => {
    const lax = await strict.put("/items/5", { json: { item: { name: "Foo", price: "35.4" }, user: { username: "dave" }, importance: "5" } });
    expect(lax.status).toBe(422);
    expect(lax.json().detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([["body", "item", "price"], ["body", "importance"]]);
    const text = await strict.post("/plain", { body: '{"name":"Foo","price":1}', headers: { "content-type": "text/plain" } });
    expect(text.status).toBe(415);
  });

  it("with compat: \"fastapi\", converts like Pydantic's lax mode and answers a wrong Content-Type with FastAPI's 422", async () => {
    await same(compat, "multi lax", "PUT", "/items/5", { json: { item: { name: "Foo", price: "35.4" }, user: { username: "dave" }, importance: "5" } });
    await same(compat, "multi bad", "PUT", "/items/5", { json: { item: { name: "Foo", price: "x" }, user: {}, importance: "high" } });
    await same(compat, "plain text/plain", "POST", "/plain", { body: '{"name":"Foo","price":1}', headers: { "content-type": "text/plain" } });
    await same(compat, "plain form type", "POST", "/plain", { body: "name=Foo&price=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    await same(compat, "multi text/plain", "PUT", "/items/5", { body: "{}", headers: { "content-type": "text/plain" } });
  });

  it("reports the client's own value when a converted one fails a constraint", async () => {
    const app = new Velox({ logger: false, compat: "fastapi" });
    app.post("/n", { body: z.object({ n: z.int().min(10) }) }, ({ body }) => body);
    const client = new TestClient(app);
    const res = await client.post("/n", { json: { n: "5" } });
    expect(res.json().detail[0]).toMatchObject({ type: "greater_than_equal", loc: ["body", "n"], input: "5" });
    await client.close();
  });
});
