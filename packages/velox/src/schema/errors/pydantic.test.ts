import { describe, expect, it } from "vitest";
import { pyChoices, pydantic, pyRepr, typeError } from "./pydantic.ts";

// Messages below are what Pydantic 2.13 (pydantic-core 2.46) printed for the same inputs.
describe("pydantic messages", () => {
  it.each([
    ["abc", "invalid length: expected length 32 for simple format, found 3"],
    ["12345678-124-1234-1234-567812345678", "invalid group length in group 1: expected 4, found 3"],
    ["1234567x-1234-1234-1234-567812345678", "invalid character: found `x` at 8"],
    ["urn:uuid:1234567x-1234-1234-1234-567812345678", "invalid character: found `x` at 8"],
    ["{1234567x-1234-1234-1234-567812345678}", "invalid character: found `x` at 8"],
    ["12345678-1234-1234-1234-5678123456789", "invalid group length in group 4: expected 12, found 13"],
    ["12345678-1234-1234-1234", "invalid group count: expected 5, found 4"],
    ["é", "invalid character: found `é` at 1"],
    ["{12345678123412341234567812345678}", "invalid group count: expected 5, found 1"],
  ])("uuid_parsing %j", (input, error) => {
    expect(pydantic.uuidParsing(["body", "id"], input)).toEqual({
      type: "uuid_parsing", loc: ["body", "id"], msg: `Input should be a valid UUID, ${error}`, input, ctx: { error },
    });
  });

  it.each([
    ["yesterday", "input is too short"],
    ["2024/01/01", "invalid date separator, expected `-`"],
    ["x024-01-01", "invalid character in year"],
    ["2024-13-01T00:00:00", "month value is outside expected range of 1-12"],
    ["2023-02-29T00:00:00", "day value is outside expected range"],
    ["2024-01-01T25:00:00", "unexpected extra characters at the end of the input"],
  ])("datetime_from_date_parsing %j", (input, error) => {
    expect(pydantic.datetimeParsing(["body", "at"], input)).toEqual({
      type: "datetime_from_date_parsing", loc: ["body", "at"], msg: `Input should be a valid datetime or date, ${error}`, input, ctx: { error },
    });
  });

  it.each([
    ["abc", "input is too short"],
    ["2024-01-01T", "input is too short"],
    ["2024-01-32", "day value is outside expected range"],
    ["2024-01-01X10:00", "invalid datetime separator, expected `T`, `t`, `_` or space"],
    ["2024-01-01T24:00", "hour value is outside expected range of 0-23"],
    ["2024-01-01T10:60", "minute value is outside expected range of 0-59"],
    ["2024-01-01T10:00:5", "invalid character in second"],
    ["2024-01-01T10:00:00.", "second fraction digits missing after `.`"],
    ["2024-01-01T10:00:00 UTC", "invalid timezone sign"],
    ["2024-01-01T10:00:00+25:00", "timezone offset must be less than 24 hours"],
    ["2024-01-01T10:00:00+01:77", "timezone minute value is outside expected range of 0-59"],
  ])("date_from_datetime_parsing %j", (input, error) => {
    expect(pydantic.dateParsing(["body", "day"], input)).toEqual({
      type: "date_from_datetime_parsing", loc: ["body", "day"], msg: `Input should be a valid date or datetime, ${error}`, input, ctx: { error },
    });
  });

  it("a date with a time of day is date_from_datetime_inexact", () => {
    expect(pydantic.dateParsing(["q"], "2024-01-01T10:00:00Z")).toEqual({
      type: "date_from_datetime_inexact", loc: ["q"], msg: "Datetimes provided to dates should have zero time - e.g. be exact dates", input: "2024-01-01T10:00:00Z",
    });
  });

  it.each([
    ["abc", "relative URL without a base"],
    ["http://", "empty host"],
  ])("url_parsing %j", (input, error) => {
    expect(pydantic.urlParsing(["u"], input)).toMatchObject({ type: "url_parsing", msg: `Input should be a valid URL, ${error}`, ctx: { error } });
  });

  it("email reasons come from email-validator", () => {
    expect(pydantic.email(["e"], "not-an-email")).toEqual({
      type: "value_error", loc: ["e"], msg: "value is not a valid email address: An email address must have an @-sign.", input: "not-an-email",
      ctx: { reason: "An email address must have an @-sign." },
    });
    expect(pydantic.email(["e"], "a@b").msg).toBe("value is not a valid email address: The part after the @-sign is not valid. It should have a period.");
  });

  it("value_error carries ctx.error as {}, as FastAPI encodes the ValueError", () => {
    expect(pydantic.valueError(["body", "a"], "y", "must be x")).toEqual({
      type: "value_error", loc: ["body", "a"], msg: "Value error, must be x", input: "y", ctx: { error: {} },
    });
  });

  it("pluralises lengths like Pydantic", () => {
    expect(pydantic.stringTooShort([], "", 1).msg).toBe("String should have at least 1 character");
    expect(pydantic.tooLong([], [1, 2], 1, 2).msg).toBe("List should have at most 1 item after validation, not 2");
  });

  it("prints choices with Python reprs", () => {
    expect(pyChoices(["a", "b", "c"])).toBe("'a', 'b' or 'c'");
    expect(pyChoices([1, true, null])).toBe("1, True or None");
    expect(pyRepr("it's")).toBe("'it\\'s'");
  });
});

describe("typeError", () => {
  it.each([
    ["integer", "x", "int_parsing"],
    ["integer", 1.5, "int_from_float"],
    ["integer", null, "int_type"],
    ["integer", [], "int_type"],
    ["integer", Infinity, "finite_number"],
    ["number", "x", "float_parsing"],
    ["number", {}, "float_type"],
    ["string", 1.5, "string_type"],
    ["boolean", "2", "bool_parsing"],
    ["boolean", 2, "bool_parsing"],
    ["boolean", 0.5, "bool_type"],
    ["boolean", null, "bool_type"],
    ["array", {}, "list_type"],
    ["object", "x", "model_attributes_type"],
    ["record", [], "dict_type"],
  ])("expected %s, got %j → %s (Pydantic's lax mode)", (expected, input, type) => {
    expect(typeError(expected, ["x"], input).type).toBe(type);
  });
});
