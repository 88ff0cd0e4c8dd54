import { TestClient } from "velox/testing";
import { describe, expect, it } from "vitest";
import { app, seen } from "./app.ts";

describe("hooks example", () => {
  const client = new TestClient(app);

  it("adds the timing header to every response, 404s included", async () => {
    const hello = await client.get("/hello", { query: { name: "Ada" } });
    expect(hello.json()).toEqual({ message: "Hello, Ada!" });
    expect(Number(hello.headers["x-process-time"])).toBeGreaterThanOrEqual(0);
    expect((await client.get("/missing")).headers["x-process-time"]).toBeDefined();
  });

  it("refuses the admin router's routes without the key, and serves them with it", async () => {
    expect((await client.post("/admin/notes", { json: { text: "hi" } })).status).toBe(403);
    const ok = await client.post("/admin/notes", { json: { text: "hi" }, headers: { "x-api-key": "letmein" } });
    expect(ok.status).toBe(201);
    expect(ok.json()).toEqual({ saved: "hi" });
  });

  it("logs one line per request from onResponse", async () => {
    await new Promise((r) => setImmediate(r));
    expect(seen).toContain("GET /hello 200");
    expect(seen).toContain("GET (unmatched) 404");
    expect(seen).toContain("POST /admin/notes 403");
  });
});
