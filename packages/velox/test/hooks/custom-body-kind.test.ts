import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ProtocolError, Velox, generateOpenAPI, valueRequestBody, type BodyKind } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

/** A body kind that exists only in this file: adding a kind touches one place. */
const csvBody: BodyKind = {
  name: "csv",
  provides: "value",
  mediaTypes: ["text/csv"],
  checkContentType(contentType) {
    if (!contentType || contentType.split(";")[0]!.trim().toLowerCase() !== "text/csv") throw new ProtocolError(415, "Content-Type must be text/csv");
  },
  decode(bytes, ctx) {
    const text = bytes.toString("utf8").trim();
    ctx._rawBody = text === "" ? [] : text.split("\n").map((line) => line.split(","));
  },
  document: (inputs) => valueRequestBody("text/csv", inputs),
};

describe("a body kind added in a test file", () => {
  const Rows = z.array(z.tuple([z.string().min(1), z.coerce.number()]));
  const app = new Velox({ logger: false, bodyLimit: 64 });
  app.post("/import", { body: Rows, bodyKind: csvBody }, ({ body }) => ({ rows: body.length, total: body.reduce((sum, [, n]) => sum + n, 0) }));
  const client = new TestClient(app);

  it("reads, decodes and validates the body through the kind", async () => {
    const res = await client.post("/import", { body: "a,1\nb,2.5", headers: { "content-type": "text/csv" } });
    expect(res.json()).toEqual({ rows: 2, total: 3.5 });
  });

  it("answers the kind's 415 before reading, 422 from the schema, 413 from the route's limit", async () => {
    expect((await client.post("/import", { json: [["a", 1]] })).status).toBe(415);
    const bad = await client.post("/import", { body: ",1", headers: { "content-type": "text/csv" } });
    expect(bad.status).toBe(422);
    expect(bad.json().detail[0]).toMatchObject({ type: "string_too_short", loc: ["body", 0, 0] });
    expect((await client.post("/import", { body: "x,1\n".repeat(40), headers: { "content-type": "text/csv" } })).status).toBe(413);
  });

  it("documents the request body under the kind's media type", async () => {
    await app.ready();
    const op = generateOpenAPI(app).paths["/import"]!.post!;
    expect(Object.keys(op.requestBody!.content)).toEqual(["text/csv"]);
  });

  it("refuses a kind that does not fit what the route declares", () => {
    const other = new Velox();
    other.post("/x", { form: { a: z.string() }, bodyKind: csvBody }, () => 1);
    expect(() => other.compiledPlans).toThrowError(expect.objectContaining({ code: "VX_BODY_CONFLICT" }));
  });
});
