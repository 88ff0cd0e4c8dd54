import { type } from "arktype";
import { describe, expect, it } from "vitest";
import type { ErrorDetail } from "../../http-exception.ts";
import type { AnySchema } from "../types.ts";
import { issuesToDetails } from "./index.ts";

function detailsOf(schema: AnySchema, input: unknown): ErrorDetail[] {
  const result = schema["~standard"].validate(input);
  if (result instanceof Promise || !result.issues) throw new Error("expected a synchronous failure");
  return issuesToDetails(schema, result.issues, ["body"], input);
}

describe("ArkType errors as Pydantic errors", () => {
  it.each<[string, AnySchema, unknown, Partial<ErrorDetail>[]]>([
    ["missing", type({ a: "string" }), {}, [{ type: "missing", loc: ["body", "a"], msg: "Field required", input: {} }]],
    ["missing body", type({ a: "string" }), undefined, [{ type: "missing", loc: ["body"], input: null }]],
    ["string_type", type({ a: "string" }), { a: 1 }, [{ type: "string_type", loc: ["body", "a"], input: 1 }]],
    ["string_too_short", type("string >= 3"), "ab", [{ type: "string_too_short", ctx: { min_length: 3 } }]],
    ["string_too_long", type("string <= 3"), "abcd", [{ type: "string_too_long", ctx: { max_length: 3 } }]],
    ["exact length", type("string == 3"), "ab", [{ type: "string_too_short", ctx: { min_length: 3 } }]],
    ["pattern", type(/^a+$/), "b", [{ type: "string_pattern_mismatch", msg: "String should match pattern '^a+$'", ctx: { pattern: "^a+$" } }]],
    ["first constraint only", type("string >= 3 & /x/"), "ab", [{ type: "string_too_short" }]],
    ["int_parsing", type("number.integer"), "x", [{ type: "int_parsing", input: "x" }]],
    ["int_from_float", type("number.integer"), 1.5, [{ type: "int_from_float", input: 1.5 }]],
    ["int_type", type("number.integer"), null, [{ type: "int_type", input: null }]],
    ["float_parsing", type("number"), "x", [{ type: "float_parsing" }]],
    ["float_type for a nullable number", type("number | null"), [], [{ type: "float_type" }]],
    ["bool_parsing", type("boolean"), "maybe", [{ type: "bool_parsing" }]],
    ["bool_type", type("boolean"), null, [{ type: "bool_type" }]],
    ["greater_than", type("number > 5"), 5, [{ type: "greater_than", msg: "Input should be greater than 5", ctx: { gt: 5 } }]],
    ["greater_than_equal", type("number >= 5"), 4, [{ type: "greater_than_equal", ctx: { ge: 5 } }]],
    ["less_than", type("number < 5"), 5, [{ type: "less_than", ctx: { lt: 5 } }]],
    ["less_than_equal", type("number <= 5"), 6, [{ type: "less_than_equal", ctx: { le: 5 } }]],
    ["multiple_of", type("number % 5"), 6, [{ type: "multiple_of", ctx: { multiple_of: 5 } }]],
    ["enum", type("'a' | 'b' | 'c'"), "d", [{ type: "enum", msg: "Input should be 'a', 'b' or 'c'", ctx: { expected: "'a', 'b' or 'c'" } }]],
    ["numeric enum", type("1 | 2"), 3, [{ type: "enum", ctx: { expected: "1 or 2" } }]],
    ["literal", type("'fast'"), "slow", [{ type: "literal_error", msg: "Input should be 'fast'", ctx: { expected: "'fast'" } }]],
    ["list_type", type("string[]"), "x", [{ type: "list_type" }]],
    ["too_short", type("number[] >= 2"), [1], [{ type: "too_short", ctx: { field_type: "List", min_length: 2, actual_length: 1 } }]],
    ["too_long", type("number[] <= 1"), [1, 2], [{ type: "too_long", ctx: { field_type: "List", max_length: 1, actual_length: 2 } }]],
    ["item loc", type("number.integer[]"), [1, "x"], [{ type: "int_parsing", loc: ["body", 1], input: "x" }]],
    ["model_attributes_type", type({ a: "string" }), "x", [{ type: "model_attributes_type", loc: ["body"], input: "x" }]],
    ["array for an object", type({ a: "string", b: "string" }), [1, 2], [{ type: "model_attributes_type", loc: ["body"], input: [1, 2] }]],
    ["uuid", type("string.uuid"), "abc", [{ type: "uuid_parsing", ctx: { error: "invalid length: expected length 32 for simple format, found 3" } }]],
    ["email", type("string.email"), "abc", [{ type: "value_error", ctx: { reason: "An email address must have an @-sign." } }]],
    ["datetime", type("string.date.iso"), "abc", [{ type: "datetime_from_date_parsing" }]],
    ["url", type("string.url"), "abc", [{ type: "url_parsing" }]],
    ["parsed integer string", type("string.integer.parse"), "x", [{ type: "int_parsing" }]],
    ["custom narrow", type("string").narrow((s, ctx) => s === "x" || ctx.mustBe("x")), "y", [{ type: "value_error", ctx: { error: {} } }]],
  ])("%s", (_name, schema, input, expected) => {
    const details = detailsOf(schema, input);
    expect(details).toHaveLength(expected.length);
    expected.forEach((want, i) => expect(details[i]).toMatchObject(want));
  });

  it("reports each undeclared key of a closed object", () => {
    expect(detailsOf(type({ "+": "reject", a: "number" }), { a: 1, b: 2, c: { d: 3 } })).toEqual([
      { type: "extra_forbidden", loc: ["body", "b"], msg: "Extra inputs are not permitted", input: 2 },
      { type: "extra_forbidden", loc: ["body", "c"], msg: "Extra inputs are not permitted", input: { d: 3 } },
    ]);
  });

  it("locates nested errors with list indices", () => {
    const schema = type({ items: type({ sku: "string >= 2" }).array() });
    expect(detailsOf(schema, { items: [{ sku: "ab" }, {}, { sku: "c" }] })).toEqual([
      { type: "missing", loc: ["body", "items", 1, "sku"], msg: "Field required", input: {} },
      { type: "string_too_short", loc: ["body", "items", 2, "sku"], msg: "String should have at least 2 characters", input: "c", ctx: { min_length: 2 } },
    ]);
  });
});
