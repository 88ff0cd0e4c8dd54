import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { TestClient } from "velox/testing";
import { app } from "./app.ts";

const client = new TestClient(app);
afterAll(() => client.close());

describe("uploads example", () => {
  it("stores an uploaded document and serves it back", async () => {
    const content = Buffer.from("hello, uploads");
    const res = await client.post("/documents", {
      form: { title: "Greeting", tags: ["a", "b"] },
      files: { document: { content, filename: "hello.txt", contentType: "text/plain" } },
    });
    expect(res.status).toBe(201);
    const doc = res.json();
    expect(doc).toMatchObject({ title: "Greeting", filename: "hello.txt", contentType: "text/plain", size: content.length, sha256: createHash("sha256").update(content).digest("hex") });
    const back = await client.get(`/documents/${doc.id}`);
    expect(back.body).toEqual(content);
    expect(back.headers["content-disposition"]).toContain("hello.txt");
  });

  it("answers 422 without the file and 413 past the route's caps", async () => {
    const missing = await client.post("/documents", { form: { title: "x" }, files: {} });
    expect(missing.status).toBe(422);
    expect(missing.json().detail[0]).toMatchObject({ type: "missing", loc: ["body", "document"] });
    const many = await client.post("/documents/batch", { files: { documents: Array.from({ length: 6 }, (_, i) => ({ content: "x", filename: `${i}.txt` })) } });
    expect(many.status).toBe(413);
    expect(many.json()).toEqual({ detail: "Form has more than 5 files" });
  });
});
