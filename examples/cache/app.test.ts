import { afterAll, describe, expect, it } from "vitest";
import { TestClient } from "velox/testing";
import { app, db } from "./app.ts";

const client = new TestClient(app);
afterAll(() => client.close());

describe("cache example", () => {
  it("reads a product once however many requests miss at once", async () => {
    db.reads = 0;
    const responses = await Promise.all(Array.from({ length: 50 }, () => client.get("/products/1")));
    expect(responses.every((res) => res.status === 200 && res.json().name === "Lamp")).toBe(true);
    expect(db.reads).toBe(1);
  });

  it("answers 304 for an unchanged list, and a write invalidates by tag", async () => {
    const first = await client.get("/products");
    const etag = first.headers.etag as string;
    expect(first.headers["cache-control"]).toBe("public, max-age=10, stale-while-revalidate=60");
    expect((await client.get("/products", { headers: { "if-none-match": etag } })).status).toBe(304);
    const put = await client.put("/products/1", { json: { name: "Brass lamp", price: 15 } });
    expect(put.status).toBe(200);
    expect((await client.get("/products/1")).json().name).toBe("Brass lamp");
    const changed = await client.get("/products", { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.json()).toContainEqual({ id: 1, name: "Brass lamp", price: 15 });
  });

  it("does not cache a 404 (negative caching is off by default)", async () => {
    db.reads = 0;
    expect((await client.get("/products/99")).status).toBe(404);
    expect((await client.get("/products/99")).status).toBe(404);
    expect(db.reads).toBe(2);
  });
});
