import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ErrorDetail } from "../../http-exception.ts";
import type { AnySchema } from "../types.ts";
import { issuesToDetails } from "./index.ts";

function detailsOf(schema: AnySchema, input: unknown): ErrorDetail[] {
  const result = schema["~standard"].validate(input);
  if (result instanceof Promise || !result.issues) throw new Error("expected a synchronous failure");
  return issuesToDetails(schema, result.issues, ["body"], input);
}

// The common cases are pinned against FastAPI in test/fastapi-422.test.ts; these are the rest.
describe("Zod issues as Pydantic errors", () => {
  it("reports the first failing constraint only, in Pydantic's order", () => {
    expect(detailsOf(z.string().regex(/x/).min(3), "ab")).toMatchObject([{ type: "string_too_short" }]);
    expect(detailsOf(z.number().gt(10).multipleOf(5), 7)).toMatchObject([{ type: "multiple_of" }]);
  });

  it("reports the closest union member", () => {
    expect(detailsOf(z.union([z.string(), z.int()]), true)).toMatchObject([{ type: "string_type", loc: ["body"] }]);
    expect(detailsOf(z.object({ v: z.union([z.object({ a: z.string() }), z.object({ a: z.string(), b: z.int() })]) }), { v: { a: 1 } }))
      .toMatchObject([{ type: "string_type", loc: ["body", "v", "a"] }]);
  });

  it("maps refinements to value_error with FastAPI's ctx", () => {
    const schema = z.string().refine((s) => s === "x", "must be x");
    expect(detailsOf(schema, "y")).toEqual([{ type: "value_error", loc: ["body"], msg: "Value error, must be x", input: "y", ctx: { error: {} } }]);
  });

  it("reports uuid_version when z.uuidv4() gets a well-formed UUID of another version", () => {
    expect(detailsOf(z.uuidv4(), "12345678-1234-1234-8234-567812345678")).toEqual([{
      type: "uuid_version", loc: ["body"], msg: "UUID version 4 expected", input: "12345678-1234-1234-8234-567812345678", ctx: { expected_version: 4 },
    }]);
    expect(detailsOf(z.uuid(), "12345678-1234-1234-1234-567812345678")).toMatchObject([{ type: "uuid_parsing", ctx: { error: "invalid version or variant" } }]);
  });

  it("maps records, sets and tuples", () => {
    expect(detailsOf(z.record(z.string(), z.number()), [])).toMatchObject([{ type: "dict_type" }]);
    expect(detailsOf(z.record(z.string(), z.number()), { a: "x" })).toMatchObject([{ type: "float_parsing", loc: ["body", "a"] }]);
    expect(detailsOf(z.tuple([z.string()]), "x")).toMatchObject([{ type: "list_type" }]);
  });

  it("reports a boolean given a number as bool_parsing, like Pydantic", () => {
    expect(detailsOf(z.boolean(), 2)).toMatchObject([{ type: "bool_parsing", input: 2 }]);
  });
});
