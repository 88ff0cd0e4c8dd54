import { afterAll, describe, expect, it } from "vitest";
import { TestClient } from "velox/testing";
import { app } from "./app.ts";

const client = new TestClient(app);
afterAll(() => client.close());

describe("hello example", () => {
  it("creates and reads an item", async () => {
    const created = await client.post("/items", { json: { name: "Widget", price: 9.5 } });
    expect(created.status).toBe(201);
    const { id } = created.json();
    expect((await client.get(`/items/${id}`)).json()).toEqual({ id, name: "Widget", price: 9.5 });
  });

  it("answers FastAPI-shaped errors", async () => {
    expect((await client.get("/items/999")).json()).toEqual({ detail: "Item not found" });
    const invalid = await client.get("/items/zero");
    expect(invalid.status).toBe(422);
    expect(invalid.json().detail[0]).toMatchObject({ type: "int_parsing", loc: ["path", "id"] });
  });
});
