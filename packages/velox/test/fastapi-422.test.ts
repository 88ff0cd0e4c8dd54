import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../src/index.ts";
import { TestClient } from "../src/testing/index.ts";
import { fastapiCases, replay } from "./validators/fastapi-cases.ts";
import { referenceApp } from "./validators/zod-reference-app.ts";

describe("422 bodies are FastAPI's (Zod app)", () => {
  const client = new TestClient(referenceApp());
  afterAll(() => client.close());

  it("pins at least 30 invalid requests, most of them identical to FastAPI", () => {
    expect(fastapiCases.length).toBeGreaterThanOrEqual(30);
    expect(fastapiCases.filter((c) => !c.velox).length).toBeGreaterThanOrEqual(50);
  });

  it.each(fastapiCases)("$name", async ({ request, fastapi, velox }) => {
    const answer = await replay(client, request);
    if (!velox) {
      expect(answer).toEqual(fastapi);
      return;
    }
    expect(answer).toEqual({ status: velox.status, body: velox.body });
    // A documented difference must still be one; once Velox matches, the row loses its override.
    expect({ status: velox.status, body: velox.body }).not.toEqual(fastapi);
  });

  it("echoes the client's text for coerced parameters declared as one model, as FastAPI's parameter models do", async () => {
    const app = new Velox({ logger: false });
    app.get("/m", { query: z.object({ size: z.int().gt(0), ids: z.array(z.int().gt(0)).optional() }) }, () => ({}));
    const models = new TestClient(app);
    const res = await models.get("/m", { query: { size: "0", ids: ["1", "0"] } });
    expect(res.json().detail.map((d: { input: unknown }) => d.input)).toEqual(["0", "0"]);
    await models.close();
  });

  it("writes a float constraint as 0 where Python writes 0.0 (equal once parsed)", async () => {
    const res = await client.post("/items", { json: { name: "W", price: 0 } });
    expect(res.text).toContain('"ctx":{"gt":0}}');
  });
});
