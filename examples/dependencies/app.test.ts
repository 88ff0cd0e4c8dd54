import { afterAll, describe, expect, it } from "vitest";
import { TestClient } from "velox/testing";
import { app, currentUser } from "./app.ts";

const client = new TestClient(app);
afterAll(() => client.close());

describe("dependencies example", () => {
  it("resolves pagination, a pooled connection and the user", async () => {
    const res = await client.get("/items/", { query: { page: 2, size: 5 }, headers: { "x-user": "ada" } });
    expect(res.json()).toEqual({ user: "ada", page: { offset: 5, limit: 5 }, rows: "result of SELECT * FROM items LIMIT 5 OFFSET 5" });
  });

  it("enforces the scopes each route requires", async () => {
    expect((await client.get("/items/")).status).toBe(401);
    expect((await client.delete("/items/1", { headers: { "x-user": "ada" } })).status).toBe(403);
    expect((await client.delete("/items/1", { headers: { "x-user": "admin" } })).status).toBe(204);
  });

  it("validates dependency parameters with the route's", async () => {
    const res = await client.get("/items/", { query: { size: 1000 }, headers: { "x-user": "ada" } });
    expect(res.status).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: "less_than_equal", loc: ["query", "size"], ctx: { le: 100 } });
  });

  it("can be overridden in tests", async () => {
    app.overrides.set(currentUser, () => ({ name: "test-user", scopes: [] }));
    expect((await client.get("/items/")).json().user).toBe("test-user");
    app.overrides.clear();
  });
});
