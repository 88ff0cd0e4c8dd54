import { describe, expect, it } from "vitest";
import { TestClient } from "velox/testing";
import { app } from "./app.ts";

describe("FastAPI-compatible example", () => {
  it("takes several body parameters with FastAPI's lax conversions", async () => {
    const client = new TestClient(app);
    const res = await client.put("/items/5", { json: { item: { name: "Foo", price: "35.4" }, user: { username: "dave" }, importance: "5" } });
    expect(res.json()).toEqual({ item_id: 5, item: { name: "Foo", description: null, price: 35.4, tax: 10.5 }, user: { username: "dave", full_name: null }, importance: 5 });
    const wrongType = await client.put("/items/5", { body: "{}", headers: { "content-type": "text/plain" } });
    expect(wrongType.status).toBe(422);
    expect((await client.get("/items/foo")).json()).toEqual({ name: "Foo", price: 50.2 });
    expect((await client.get("/headers", { headers: { strange_header: "x" } })).json()).toEqual({ strange_header: "x" });
    expect((await client.get("/stats")).json()).toEqual({ since: "1970-01-01T00:00:00.000Z", total: "1180591620717411303424", tags: ["a", "b"], link: "/items/foo" });
    const spec = (await client.get("/openapi.json")).json();
    expect(spec.paths["/headers"].get.parameters.map((p: { name: string }) => p.name)).toEqual(["strange_header"]);
    await client.close();
  });
});
