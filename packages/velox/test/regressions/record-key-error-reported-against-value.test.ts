import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

/** `dict[int, float]` in FastAPI: a bad key is `int_parsing` at `[..., key, "[key]"]` with the key as input. */
describe("a bad record key is reported against the key", () => {
  const app = new Velox({ logger: false });
  app.post("/index-weights", { body: z.record(z.int(), z.number()) }, ({ body }) => body);
  const client = new TestClient(app);

  it("answers int_parsing at [body, key, [key]] with the key as input", async () => {
    const res = await client.post("/index-weights", { json: { foo: 2.2 } });
    expect(res.status).toBe(422);
    expect(res.json().detail).toEqual([
      { type: "int_parsing", loc: ["body", "foo", "[key]"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "foo" },
    ]);
  });

  it("still reports a bad value against the value", async () => {
    const res = await client.post("/index-weights", { json: { "5": "x" } });
    expect(res.json().detail).toEqual([
      { type: "float_parsing", loc: ["body", "5"], msg: "Input should be a valid number, unable to parse string as a number", input: "x" },
    ]);
  });

  it("accepts integer keys", async () => {
    const res = await client.post("/index-weights", { json: { "1": 2.5, "-3": 1 } });
    expect(res.status).toBe(200);
  });
});
