import { describe, expect, it } from "vitest";
import { coerceEnvValue } from "./coerce.ts";

const ok = (value: unknown) => ({ ok: true, value });

describe("coerceEnvValue", () => {
  it("keeps strings and untyped fields as they are", () => {
    expect(coerceEnvValue(" x ", { type: "string" })).toEqual(ok(" x "));
    expect(coerceEnvValue("42", {})).toEqual(ok("42"));
    expect(coerceEnvValue("42", undefined)).toEqual(ok("42"));
  });

  it("parses integers strictly", () => {
    expect(coerceEnvValue("8000", { type: "integer" })).toEqual(ok(8000));
    expect(coerceEnvValue("-3", { type: "integer" })).toEqual(ok(-3));
    expect(coerceEnvValue("1.5", { type: "integer" })).toEqual({ ok: false, problem: "expected an integer" });
    expect(coerceEnvValue("12abc", { type: "integer" }).ok).toBe(false);
    expect(coerceEnvValue("99999999999999999999", { type: "integer" }).ok).toBe(false);
  });

  it("parses numbers and rejects non-finite ones", () => {
    expect(coerceEnvValue("0.25", { type: "number" })).toEqual(ok(0.25));
    expect(coerceEnvValue("1e3", { type: "number" })).toEqual(ok(1000));
    expect(coerceEnvValue("1e400", { type: "number" }).ok).toBe(false);
    expect(coerceEnvValue("NaN", { type: "number" }).ok).toBe(false);
    expect(coerceEnvValue("0x10", { type: "number" }).ok).toBe(false);
  });

  it("parses every boolean spelling, case-insensitively", () => {
    for (const word of ["true", "1", "yes", "on", "TRUE", "Yes", "ON"]) {
      expect(coerceEnvValue(word, { type: "boolean" })).toEqual(ok(true));
    }
    for (const word of ["false", "0", "no", "off", "False", "NO"]) {
      expect(coerceEnvValue(word, { type: "boolean" })).toEqual(ok(false));
    }
    expect(coerceEnvValue("maybe", { type: "boolean" }).ok).toBe(false);
  });

  it("splits arrays on commas and coerces each item", () => {
    const ints = { type: "array", items: { type: "integer" } };
    expect(coerceEnvValue("1, 2,3", ints)).toEqual(ok([1, 2, 3]));
    expect(coerceEnvValue("", ints)).toEqual(ok([]));
    expect(coerceEnvValue("[4,5]", ints)).toEqual(ok([4, 5]));
    expect(coerceEnvValue("1,x", ints)).toEqual({ ok: false, problem: "item 2: expected an integer" });
    expect(coerceEnvValue("a,b", { type: "array", items: { type: "string" } })).toEqual(ok(["a", "b"]));
  });

  it("parses objects as JSON", () => {
    expect(coerceEnvValue('{"a":1}', { type: "object" })).toEqual(ok({ a: 1 }));
    expect(coerceEnvValue("{nope", { type: "object" })).toEqual({ ok: false, problem: "expected a JSON object" });
    expect(coerceEnvValue("[1]", { type: "object" }).ok).toBe(false);
  });

  it("treats an empty value as unset for non-string types", () => {
    expect(coerceEnvValue("", { type: "integer" })).toEqual(ok(undefined));
    expect(coerceEnvValue("  ", { type: "boolean" })).toEqual(ok(undefined));
  });

  it("follows anyOf, nullable and local $ref", () => {
    const nullableInt = { anyOf: [{ type: "integer" }, { type: "null" }] };
    expect(coerceEnvValue("7", nullableInt)).toEqual(ok(7));
    expect(coerceEnvValue("null", nullableInt)).toEqual(ok(null));
    const root = { $defs: { Port: { type: "integer" } } };
    expect(coerceEnvValue("80", { $ref: "#/$defs/Port" }, root)).toEqual(ok(80));
    expect(coerceEnvValue("3", { enum: [1, 2, 3] })).toEqual(ok(3));
  });
});
