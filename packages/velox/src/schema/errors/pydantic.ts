import type { ErrorDetail } from "../../http-exception.ts";

type Loc = (string | number)[];

/** Python's repr of a JSON value, as Pydantic prints it in messages. */
export function pyRepr(value: unknown): string {
  if (typeof value === "string") return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (value === true) return "True";
  if (value === false) return "False";
  if (value === null || value === undefined) return "None";
  return String(value);
}

/** Pydantic's "'a', 'b' or 'c'" list of choices. */
export function pyChoices(values: readonly unknown[]): string {
  const reprs = values.map(pyRepr);
  if (reprs.length <= 1) return reprs[0] ?? "";
  return `${reprs.slice(0, -1).join(", ")} or ${reprs[reprs.length - 1]}`;
}

const plural = (n: number, word: string): string => `${word}${n === 1 ? "" : "s"}`;

const detail = (type: string, loc: Loc, msg: string, input: unknown, ctx?: Record<string, unknown>): ErrorDetail =>
  ctx ? { type, loc, msg, input, ctx } : { type, loc, msg, input };

/**
 * Builders for the Pydantic v2 error types FastAPI clients see, with Pydantic's exact messages.
 * Each returns one `{type, loc, msg, input, ctx?}` entry.
 */
export const pydantic = {
  missing: (loc: Loc, input: unknown) => detail("missing", loc, "Field required", input),
  stringType: (loc: Loc, input: unknown) => detail("string_type", loc, "Input should be a valid string", input),
  stringTooShort: (loc: Loc, input: unknown, min: number) =>
    detail("string_too_short", loc, `String should have at least ${min} ${plural(min, "character")}`, input, { min_length: min }),
  stringTooLong: (loc: Loc, input: unknown, max: number) =>
    detail("string_too_long", loc, `String should have at most ${max} ${plural(max, "character")}`, input, { max_length: max }),
  stringPattern: (loc: Loc, input: unknown, pattern: string) =>
    detail("string_pattern_mismatch", loc, `String should match pattern '${pattern}'`, input, { pattern }),
  intType: (loc: Loc, input: unknown) => detail("int_type", loc, "Input should be a valid integer", input),
  intParsing: (loc: Loc, input: unknown) =>
    detail("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", input),
  intFromFloat: (loc: Loc, input: unknown) =>
    detail("int_from_float", loc, "Input should be a valid integer, got a number with a fractional part", input),
  floatType: (loc: Loc, input: unknown) => detail("float_type", loc, "Input should be a valid number", input),
  floatParsing: (loc: Loc, input: unknown) =>
    detail("float_parsing", loc, "Input should be a valid number, unable to parse string as a number", input),
  finiteNumber: (loc: Loc, input: unknown) => detail("finite_number", loc, "Input should be a finite number", input),
  boolType: (loc: Loc, input: unknown) => detail("bool_type", loc, "Input should be a valid boolean", input),
  boolParsing: (loc: Loc, input: unknown) =>
    detail("bool_parsing", loc, "Input should be a valid boolean, unable to interpret input", input),
  greaterThan: (loc: Loc, input: unknown, gt: unknown) => detail("greater_than", loc, `Input should be greater than ${gt}`, input, { gt }),
  greaterThanEqual: (loc: Loc, input: unknown, ge: unknown) =>
    detail("greater_than_equal", loc, `Input should be greater than or equal to ${ge}`, input, { ge }),
  lessThan: (loc: Loc, input: unknown, lt: unknown) => detail("less_than", loc, `Input should be less than ${lt}`, input, { lt }),
  lessThanEqual: (loc: Loc, input: unknown, le: unknown) =>
    detail("less_than_equal", loc, `Input should be less than or equal to ${le}`, input, { le }),
  multipleOf: (loc: Loc, input: unknown, multiple: unknown) =>
    detail("multiple_of", loc, `Input should be a multiple of ${multiple}`, input, { multiple_of: multiple }),
  enum: (loc: Loc, input: unknown, values: readonly unknown[]) =>
    detail("enum", loc, `Input should be ${pyChoices(values)}`, input, { expected: pyChoices(values) }),
  literal: (loc: Loc, input: unknown, values: readonly unknown[]) =>
    detail("literal_error", loc, `Input should be ${pyChoices(values)}`, input, { expected: pyChoices(values) }),
  listType: (loc: Loc, input: unknown) => detail("list_type", loc, "Input should be a valid list", input),
  tooShort: (loc: Loc, input: unknown, min: number, actual: number) =>
    detail("too_short", loc, `List should have at least ${min} ${plural(min, "item")} after validation, not ${actual}`, input, {
      field_type: "List", min_length: min, actual_length: actual,
    }),
  tooLong: (loc: Loc, input: unknown, max: number, actual: number) =>
    detail("too_long", loc, `List should have at most ${max} ${plural(max, "item")} after validation, not ${actual}`, input, {
      field_type: "List", max_length: max, actual_length: actual,
    }),
  extraForbidden: (loc: Loc, input: unknown) => detail("extra_forbidden", loc, "Extra inputs are not permitted", input),
  modelAttributesType: (loc: Loc, input: unknown) =>
    detail("model_attributes_type", loc, "Input should be a valid dictionary or object to extract fields from", input),
  dictType: (loc: Loc, input: unknown) => detail("dict_type", loc, "Input should be a valid dictionary", input),
  jsonInvalid: (loc: Loc, error: string) => detail("json_invalid", loc, "JSON decode error", {}, { error }),
  uuidParsing: (loc: Loc, input: unknown) =>
    detail("uuid_parsing", loc, `Input should be a valid UUID, ${uuidProblem(String(input))}`, input, { error: uuidProblem(String(input)) }),
  datetimeParsing: (loc: Loc, input: unknown) =>
    detail("datetime_from_date_parsing", loc, `Input should be a valid datetime or date, ${dateProblem(String(input))}`, input, { error: dateProblem(String(input)) }),
  dateParsing: (loc: Loc, input: unknown) =>
    detail("date_from_datetime_parsing", loc, `Input should be a valid date or datetime, ${dateProblem(String(input))}`, input, { error: dateProblem(String(input)) }),
  urlParsing: (loc: Loc, input: unknown) =>
    detail("url_parsing", loc, "Input should be a valid URL, relative URL without a base", input, { error: "relative URL without a base" }),
  email: (loc: Loc, input: unknown) => {
    const reason = String(input).includes("@")
      ? "The part after the @-sign is not valid. It should have a period."
      : "An email address must have an @-sign.";
    return detail("value_error", loc, `value is not a valid email address: ${reason}`, input, { reason });
  },
  valueError: (loc: Loc, input: unknown, message: string) => detail("value_error", loc, `Value error, ${message}`, input, { error: message }),
};

/** The first problem the `uuid` crate (behind Pydantic) reports for a malformed UUID. */
function uuidProblem(text: string): string {
  const body = text.startsWith("urn:uuid:") ? text.slice(9) : text;
  for (let i = 0; i < body.length; i++) {
    if (!/[0-9a-fA-F-]/.test(body[i]!)) {
      return `invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${body[i]}\` at ${i + 1}`;
    }
  }
  const groups = body.split("-");
  if (groups.length === 1) return `invalid length: expected length 32 for simple format, found ${body.length}`;
  if (groups.length !== 5) return `invalid group count: expected 5, found ${groups.length}`;
  const expected = [8, 4, 4, 4, 12];
  const bad = groups.findIndex((g, i) => g.length !== expected[i]);
  return bad >= 0
    ? `invalid group length in group ${bad}: expected ${expected[bad]}, found ${groups[bad]!.length}`
    : "invalid UUID version";
}

/** Pydantic's speedate wording for the common datetime mistakes. */
function dateProblem(text: string): string {
  if (text.length < 10) return "input is too short";
  if (!/^\d{4}/.test(text)) return "invalid character in year";
  if (text[4] !== "-" || text[7] !== "-") return "invalid date separator, expected `-`";
  if (!/^\d{4}-\d{2}/.test(text)) return "invalid character in month";
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return "invalid character in day";
  if (text.length > 10 && !/[Tt ]/.test(text[10]!)) return "invalid datetime separator, expected `T`, `t`, `_` or space";
  return "input is too short";
}
