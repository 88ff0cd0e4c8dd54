import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

/** FastAPI's header_param_models tutorial002: a model with `extra = "forbid"` refuses undeclared headers. */
describe("a strict header model forbids undeclared headers", () => {
  const CommonHeaders = z.strictObject({
    host: z.string(),
    save_data: z.boolean(),
    if_modified_since: z.string().optional(),
    traceparent: z.string().optional(),
    x_tag: z.array(z.string()).default([]),
  });
  const app = new Velox({ logger: false });
  app.get("/items/", { headers: CommonHeaders }, ({ headers }) => headers);
  const client = new TestClient(app);

  it("answers extra_forbidden for an undeclared header, at [header, name]", async () => {
    const res = await client.get("/items/", {
      headers: [["save-data", "true"], ["if-modified-since", "yesterday"], ["traceparent", "123"], ["x-tag", "one"], ["x-tag", "two"], ["tool", "plumbus"], ["user-agent", "x"]],
    });
    expect(res.status).toBe(422);
    expect(res.json().detail).toContainEqual({ type: "extra_forbidden", loc: ["header", "tool"], msg: "Extra inputs are not permitted", input: "plumbus" });
    // Every other header the client sent is extra as well, as in FastAPI (its tutorial clears httpx's defaults).
    expect(res.json().detail).toContainEqual(expect.objectContaining({ type: "extra_forbidden", loc: ["header", "user-agent"] }));
  });

  it("keeps accepting declared headers (a non-strict model ignores the rest)", async () => {
    const lax = new Velox({ logger: false });
    lax.get("/items/", { headers: CommonHeaders.strip() }, ({ headers }) => headers);
    const res = await new TestClient(lax).get("/items/", { headers: [["save-data", "true"], ["x-tag", "one"], ["x-tag", "two"], ["tool", "plumbus"]] });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ save_data: true, x_tag: ["one", "two"] });
  });
});
