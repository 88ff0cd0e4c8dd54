import { describe, expect, it } from "vitest";
import { asPydanticReports } from "./pydantic-order.ts";
import { pydantic } from "./pydantic.ts";

describe("asPydanticReports", () => {
  it("keeps the first string constraint in Pydantic's order (min_length, max_length, pattern)", () => {
    const pattern = pydantic.stringPattern(["body", "s"], "ab", "x");
    const short = pydantic.stringTooShort(["body", "s"], "ab", 3);
    expect(asPydanticReports([pattern, short])).toEqual([short]);
  });

  it("keeps the first number constraint in Pydantic's order (multiple_of, le, lt, ge, gt)", () => {
    const gt = pydantic.greaterThan(["n"], 7, 10);
    const le = pydantic.lessThanEqual(["n"], 7, 3);
    const multiple = pydantic.multipleOf(["n"], 7, 5);
    expect(asPydanticReports([gt, le, multiple])).toEqual([multiple]);
    expect(asPydanticReports([gt, le])).toEqual([le]);
  });

  it("reports a type error instead of the checks that ran on the wrong type", () => {
    const type = pydantic.stringType(["query", "q"], ["a", "b"]);
    const short = pydantic.tooShort(["query", "q"], ["a", "b"], 3, 2);
    expect(asPydanticReports([type, short])).toEqual([type]);
  });

  it("a list that is too long hides its items' errors; failing items hide too_short", () => {
    const item = pydantic.intParsing(["body", "ids", 0], "x");
    const long = pydantic.tooLong(["body", "ids"], ["x", "y"], 1, 2);
    expect(asPydanticReports([item, long])).toEqual([long]);
    const short = pydantic.tooShort(["body", "ids"], ["x"], 3, 1);
    expect(asPydanticReports([item, short])).toEqual([item]);
  });

  it("leaves errors at different locations alone, in order", () => {
    const a = pydantic.missing(["body", "a"], {});
    const b = pydantic.missing(["body", "b"], {});
    const extra = pydantic.extraForbidden(["body", "c"], 1);
    expect(asPydanticReports([a, b, extra])).toEqual([a, b, extra]);
  });
});
