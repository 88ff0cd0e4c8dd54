import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { ErrorDetail } from "../../http-exception.ts";
import type { AnySchema } from "../types.ts";
import { issuesToDetails } from "./index.ts";

function detailsOf(schema: AnySchema, input: unknown): ErrorDetail[] {
  const result = schema["~standard"].validate(input);
  if (result instanceof Promise || !result.issues) throw new Error("expected a synchronous failure");
  return issuesToDetails(schema, result.issues, ["body"], input);
}

const int = () => v.pipe(v.number(), v.integer());

describe("Valibot issues as Pydantic errors", () => {
  it.each<[string, AnySchema, unknown, Partial<ErrorDetail>[]]>([
    ["missing", v.object({ a: v.string() }), {}, [{ type: "missing", loc: ["body", "a"], msg: "Field required", input: {} }]],
    ["missing body", v.object({ a: v.string() }), undefined, [{ type: "missing", loc: ["body"], input: null }]],
    ["string_type", v.object({ a: v.string() }), { a: 1 }, [{ type: "string_type", loc: ["body", "a"], input: 1 }]],
    ["string_too_short", v.pipe(v.string(), v.minLength(3)), "ab", [{ type: "string_too_short", ctx: { min_length: 3 } }]],
    ["string_too_long", v.pipe(v.string(), v.maxLength(3)), "abcd", [{ type: "string_too_long", ctx: { max_length: 3 } }]],
    ["non_empty", v.pipe(v.string(), v.nonEmpty()), "", [{ type: "string_too_short", msg: "String should have at least 1 character" }]],
    ["pattern", v.pipe(v.string(), v.regex(/^a+$/)), "b", [{ type: "string_pattern_mismatch", msg: "String should match pattern '^a+$'", ctx: { pattern: "^a+$" } }]],
    ["first constraint only", v.pipe(v.string(), v.regex(/x/), v.minLength(3)), "ab", [{ type: "string_too_short" }]],
    ["int_parsing", int(), "x", [{ type: "int_parsing", input: "x" }]],
    ["int_from_float", int(), 1.5, [{ type: "int_from_float", input: 1.5 }]],
    ["int_type", int(), null, [{ type: "int_type", input: null }]],
    ["float_parsing", v.number(), "x", [{ type: "float_parsing" }]],
    ["float_type", v.number(), [], [{ type: "float_type" }]],
    ["bool_parsing", v.boolean(), "maybe", [{ type: "bool_parsing" }]],
    ["bool_type", v.boolean(), null, [{ type: "bool_type" }]],
    ["greater_than", v.pipe(v.number(), v.gtValue(5)), 5, [{ type: "greater_than", msg: "Input should be greater than 5", ctx: { gt: 5 } }]],
    ["greater_than_equal", v.pipe(v.number(), v.minValue(5)), 4, [{ type: "greater_than_equal", ctx: { ge: 5 } }]],
    ["less_than", v.pipe(v.number(), v.ltValue(5)), 5, [{ type: "less_than", ctx: { lt: 5 } }]],
    ["less_than_equal", v.pipe(v.number(), v.maxValue(5)), 6, [{ type: "less_than_equal", ctx: { le: 5 } }]],
    ["multiple_of", v.pipe(v.number(), v.multipleOf(5)), 6, [{ type: "multiple_of", msg: "Input should be a multiple of 5", ctx: { multiple_of: 5 } }]],
    ["picklist", v.picklist(["a", "b", "c"]), "d", [{ type: "literal_error", msg: "Input should be 'a', 'b' or 'c'", ctx: { expected: "'a', 'b' or 'c'" } }]],
    ["enum", v.enum({ A: "a", B: "b" }), "d", [{ type: "enum", ctx: { expected: "'a' or 'b'" } }]],
    ["literal", v.literal("fast"), "slow", [{ type: "literal_error", msg: "Input should be 'fast'", ctx: { expected: "'fast'" } }]],
    ["union of literals", v.union([v.literal("a"), v.literal(1)]), "x", [{ type: "literal_error", ctx: { expected: "'a' or 1" } }]],
    ["list_type", v.array(v.string()), "x", [{ type: "list_type" }]],
    ["too_short", v.pipe(v.array(v.number()), v.minLength(2)), [1], [{ type: "too_short", ctx: { field_type: "List", min_length: 2, actual_length: 1 } }]],
    ["too_long", v.pipe(v.array(v.number()), v.maxLength(1)), [1, 2], [{ type: "too_long", ctx: { field_type: "List", max_length: 1, actual_length: 2 } }]],
    ["item loc", v.array(int()), [1, "x"], [{ type: "int_parsing", loc: ["body", 1], input: "x" }]],
    ["model_attributes_type", v.object({ a: v.string() }), "x", [{ type: "model_attributes_type", loc: ["body"], input: "x" }]],
    ["array for an object", v.object({ a: v.string(), b: v.string() }), [1, 2], [{ type: "model_attributes_type", loc: ["body"], input: [1, 2] }]],
    ["dict_type", v.record(v.string(), v.number()), "x", [{ type: "dict_type" }]],
    ["uuid", v.pipe(v.string(), v.uuid()), "abc", [{ type: "uuid_parsing", ctx: { error: "invalid length: expected length 32 for simple format, found 3" } }]],
    ["email", v.pipe(v.string(), v.email()), "abc", [{ type: "value_error", ctx: { reason: "An email address must have an @-sign." } }]],
    ["datetime", v.pipe(v.string(), v.isoTimestamp()), "abc", [{ type: "datetime_from_date_parsing" }]],
    ["date", v.pipe(v.string(), v.isoDate()), "abc", [{ type: "date_from_datetime_parsing" }]],
    ["url", v.pipe(v.string(), v.url()), "abc", [{ type: "url_parsing" }]],
    ["custom check", v.pipe(v.string(), v.check((s) => s === "x", "must be x")), "y", [{ type: "value_error", msg: "Value error, must be x", ctx: { error: {} } }]],
    ["safe integer", v.pipe(v.number(), v.safeInteger()), 2 ** 60, [{ type: "less_than_equal", ctx: { le: Number.MAX_SAFE_INTEGER } }]],
  ])("%s", (_name, schema, input, expected) => {
    const details = detailsOf(schema, input);
    expect(details).toHaveLength(expected.length);
    expected.forEach((want, i) => expect(details[i]).toMatchObject(want));
  });

  it("reports every extra key of a strict object, though Valibot stops at the first", () => {
    expect(detailsOf(v.strictObject({ a: v.number() }), { a: 1, b: 2, c: { d: 3 } })).toEqual([
      { type: "extra_forbidden", loc: ["body", "b"], msg: "Extra inputs are not permitted", input: 2 },
      { type: "extra_forbidden", loc: ["body", "c"], msg: "Extra inputs are not permitted", input: { d: 3 } },
    ]);
  });

  it("locates nested errors with list indices", () => {
    const schema = v.object({ items: v.array(v.object({ sku: v.pipe(v.string(), v.minLength(2)) })) });
    expect(detailsOf(schema, { items: [{ sku: "ab" }, {}, { sku: "c" }] })).toEqual([
      { type: "missing", loc: ["body", "items", 1, "sku"], msg: "Field required", input: {} },
      { type: "string_too_short", loc: ["body", "items", 2, "sku"], msg: "String should have at least 2 characters", input: "c", ctx: { min_length: 2 } },
    ]);
  });
});
