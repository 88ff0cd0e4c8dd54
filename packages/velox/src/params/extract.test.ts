import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compileSource } from "./extract.ts";

describe("compileSource", () => {
  it("marks parameters required unless the schema accepts a missing value", () => {
    const source = compileSource("query", { q: z.string(), page: z.int().default(1), tag: z.string().optional() }, false);
    expect(source.parameters.map((p) => [p.name, p.required])).toEqual([["q", true], ["page", false], ["tag", false]]);
  });

  it("maps header parameter names to their wire names", () => {
    const source = compileSource("header", { x_token: z.string(), userAgent: z.string().optional() }, false);
    expect(source.parameters.map((p) => p.wire)).toEqual(["x-token", "user-agent"]);
  });
});
