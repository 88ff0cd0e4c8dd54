import { afterAll, describe, expect, it } from "vitest";
import { generateOpenAPI } from "velox";
import { TestClient } from "velox/testing";
import { app } from "./app.ts";

const client = new TestClient(app);
afterAll(() => client.close());

describe("openapi-basic example", () => {
  it("serves the document at /openapi.json", async () => {
    const res = await client.get("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(generateOpenAPI(app))));
  });

  it("matches the committed document", async () => {
    await expect(`${JSON.stringify(generateOpenAPI(app), null, 2)}\n`).toMatchFileSnapshot("./openapi.snapshot.json");
  });

  it("serves Swagger UI and ReDoc", async () => {
    expect((await client.get("/docs")).text).toContain("<title>Items API - Swagger UI</title>");
    expect((await client.get("/redoc")).text).toContain("<title>Items API - ReDoc</title>");
  });

  it("does what the document says: login, then create with the items:write scope", async () => {
    const login = await client.post("/token", { form: { username: "ada", password: "secret", scope: "items:write" } });
    expect(login.json().token_type).toBe("bearer");
    const reader = await client.post("/token", { form: { username: "bob", password: "secret" } });
    const asBob = { authorization: `Bearer ${reader.json().access_token}` };
    expect((await client.post("/items", { json: { name: "Saw", price: 12 }, headers: asBob })).status).toBe(403);
    const created = await client.post("/items", { json: { name: "Saw", price: 12 }, headers: { authorization: `Bearer ${login.json().access_token}` } });
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({ id: 2, name: "Saw", price: 12, tags: [] });
    expect((await client.post("/items", { json: { name: "Saw", price: 12 } })).status).toBe(401);
  });
});
