import { describe, expect, it } from "vitest";
import { z } from "zod";
import { HTTPException, Velox } from "../src/index.ts";
import { TestClient } from "../src/testing/index.ts";

describe("smoke", () => {
  it("routes, validates and serializes", async () => {
    const Item = z.object({ id: z.int(), name: z.string().min(1), price: z.number().positive() }).meta({ id: "SmokeItem" });
    const app = new Velox({ logger: false });
    app.get("/items/{id}", { path: { id: z.int().min(1) }, query: { q: z.string().max(5).optional() }, response: Item }, ({ path, query }) => {
      if (path.id === 404) throw new HTTPException(404, "Item not found");
      const row = { id: path.id, name: query.q ?? "x", price: 2, password_hash: "secret" };
      return row;
    });
    app.post("/items", { body: Item.omit({ id: true }), status: 201, response: Item }, ({ body }) => ({ id: 1, ...body }));
    const client = new TestClient(app);
    const ok = await client.get("/items/5", { query: { q: "abc" } });
    expect(ok.status).toBe(200);
    expect(ok.json()).toEqual({ id: 5, name: "abc", price: 2 });
    const bad = await client.get("/items/abc");
    expect(bad.status).toBe(422);
    expect(bad.json()).toEqual({ detail: [{ type: "int_parsing", loc: ["path", "id"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "abc" }] });
    expect((await client.get("/items/404")).json()).toEqual({ detail: "Item not found" });
    const created = await client.post("/items", { json: { name: "W", price: 3 } });
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({ id: 1, name: "W", price: 3 });
    const missing = await client.post("/items", { json: { name: "W" } });
    expect(missing.json()).toEqual({ detail: [{ type: "missing", loc: ["body", "price"], msg: "Field required", input: { name: "W" } }] });
    expect((await client.get("/nope")).status).toBe(404);
    const notAllowed = await client.delete("/items/1");
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers.allow).toBe("GET, HEAD");
    const redirect = await client.get("/items/1/");
    expect(redirect.status).toBe(307);
    expect(redirect.headers.location).toBe("/items/1");
    await client.close();
  });
});
