import { describe, expect, it } from "vitest";
import { pydantic } from "./errors/pydantic.ts";
import { coercerFor, isArraySchema, objectCoercers, unwrapOptional, withWireInputs } from "./coerce.ts";

describe("coercion of wire strings", () => {
  it("turns strings into the declared JSON type and leaves bad ones for the validator", () => {
    expect(coercerFor({ type: "integer" })("42")).toBe(42);
    expect(coercerFor({ type: "integer" })("4.2")).toBe("4.2");
    expect(coercerFor({ type: "number" })("4.2")).toBe(4.2);
    expect(coercerFor({ type: "boolean" })("off")).toBe(false);
    expect(coercerFor({ type: "boolean" })("maybe")).toBe("maybe");
    expect(coercerFor({ type: "string" })("42")).toBe("42");
  });

  it("reads arrays from repeated keys and keeps a repeated scalar as a list for validation to refuse", () => {
    expect(coercerFor({ type: "array", items: { type: "integer" } })(["1", "x"])).toEqual([1, "x"]);
    expect(coercerFor({ type: "array", items: { type: "integer" } })("1")).toEqual([1]);
    expect(coercerFor({ type: "integer" })(["1", "2"])).toEqual([1, 2]);
  });

  it("sees through null (Zod, Valibot) and ArkType's {} for undefined", () => {
    expect(coercerFor({ anyOf: [{ type: "integer" }, { type: "null" }] })("7")).toBe(7);
    expect(coercerFor({ anyOf: [{ type: "integer" }, {}] })("7")).toBe(7);
    expect(isArraySchema({ anyOf: [{}, { type: "array", items: { type: "string" } }] })).toBe(true);
    expect(unwrapOptional({ anyOf: [{ type: "null" }, { type: "boolean" }, {}] }, {})).toMatchObject({ type: "boolean" });
  });

  it("builds per-property coercers for parameter models", () => {
    const { properties, arrays } = objectCoercers({ type: "object", properties: { page: { type: "integer" }, tags: { type: "array", items: { type: "string" } } } });
    expect(properties.get("page")!("3")).toBe(3);
    expect([...arrays]).toEqual(["tags"]);
  });
});

describe("withWireInputs", () => {
  it("reports the text the client sent, as FastAPI does, instead of the coerced value", () => {
    const [ge] = withWireInputs([pydantic.greaterThanEqual(["path", "id"], 0, 1)], () => "0");
    expect(ge!.input).toBe("0");
    const [item] = withWireInputs([pydantic.greaterThan(["query", "ids", 1], 0, 0)], () => ["5", "0"]);
    expect(item!.input).toBe("0");
    const [list] = withWireInputs([pydantic.tooShort(["query", "ids"], [1], 2, 1)], () => "1");
    expect(list!.input).toEqual(["1"]);
  });

  it("leaves strings, missing values and body-like paths alone", () => {
    const missing = pydantic.missing(["query", "q"], null);
    const parse = pydantic.intParsing(["query", "q"], "x");
    expect(withWireInputs([missing, parse], () => undefined)).toEqual([missing, parse]);
    const deep = pydantic.greaterThan(["query", "m", "a", 0], 0, 0);
    expect(withWireInputs([deep], () => ({ a: ["0"] }))[0]!.input).toBe(0);
  });
});
