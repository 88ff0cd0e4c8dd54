import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

enum Color {
  Red = "red",
  Green = "green",
}

/** FastAPI answers `literal_error` for `Literal["a", "b"]` and `enum` for an `Enum` class; Velox reported `enum` for both. */
describe("closed sets of values report FastAPI's literal_error or enum", () => {
  const app = new Velox({ logger: false });
  app.post("/pick", {
    body: z.object({
      size: z.enum(["s", "m"]).optional(),
      mode: z.union([z.literal("fast"), z.literal("slow")]).optional(),
      color: z.enum(Color).optional(),
    }),
  }, () => ({ ok: true }));
  const client = new TestClient(app);

  it("answers literal_error for z.enum([...]) as FastAPI does for Literal[...]", async () => {
    const res = await client.post("/pick", { json: { size: "xl" } });
    expect(res.json().detail).toEqual([
      { type: "literal_error", loc: ["body", "size"], msg: "Input should be 's' or 'm'", input: "xl", ctx: { expected: "'s' or 'm'" } },
    ]);
  });

  it("answers one literal_error listing every value for a union of literals", async () => {
    const res = await client.post("/pick", { json: { mode: "slowest" } });
    expect(res.json().detail).toEqual([
      { type: "literal_error", loc: ["body", "mode"], msg: "Input should be 'fast' or 'slow'", input: "slowest", ctx: { expected: "'fast' or 'slow'" } },
    ]);
  });

  it("answers enum for a TypeScript enum, as FastAPI does for an Enum class", async () => {
    const res = await client.post("/pick", { json: { color: "blue" } });
    expect(res.json().detail).toEqual([
      { type: "enum", loc: ["body", "color"], msg: "Input should be 'red' or 'green'", input: "blue", ctx: { expected: "'red' or 'green'" } },
    ]);
  });
});
