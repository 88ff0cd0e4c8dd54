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
  /** `version`: the UUID version the schema demands, when it names one (`z.uuidv4()`). */
  uuidParsing: (loc: Loc, input: unknown, version?: number) => {
    const error = uuidProblem(String(input));
    if (error === null && version !== undefined) {
      return detail("uuid_version", loc, `UUID version ${version} expected`, input, { expected_version: version });
    }
    const reason = error ?? "invalid version or variant";
    return detail("uuid_parsing", loc, `Input should be a valid UUID, ${reason}`, input, { error: reason });
  },
  datetimeParsing: (loc: Loc, input: unknown) => {
    const error = dateProblem(String(input)) ?? "unexpected extra characters at the end of the input";
    return detail("datetime_from_date_parsing", loc, `Input should be a valid datetime or date, ${error}`, input, { error });
  },
  dateParsing: (loc: Loc, input: unknown) => {
    const error = datetimeProblem(String(input));
    if (error === null) {
      return detail("date_from_datetime_inexact", loc, "Datetimes provided to dates should have zero time - e.g. be exact dates", input);
    }
    return detail("date_from_datetime_parsing", loc, `Input should be a valid date or datetime, ${error}`, input, { error });
  },
  urlParsing: (loc: Loc, input: unknown) => {
    const error = urlProblem(String(input));
    return detail("url_parsing", loc, `Input should be a valid URL, ${error}`, input, { error });
  },
  email: (loc: Loc, input: unknown) => {
    const reason = String(input).includes("@")
      ? "The part after the @-sign is not valid. It should have a period."
      : "An email address must have an @-sign.";
    return detail("value_error", loc, `value is not a valid email address: ${reason}`, input, { reason });
  },
  /** FastAPI encodes the raised `ValueError` in `ctx.error` as `{}`; Velox does the same. */
  valueError: (loc: Loc, input: unknown, message: string) => detail("value_error", loc, `Value error, ${message}`, input, { error: {} }),
};

/**
 * The Pydantic error for a value of the wrong type, from what was expected (`string`, `integer`,
 * `number`, `boolean`, `array`, `object`, `record`, `date`...) and what arrived: a string for an
 * integer is `int_parsing`, a float is `int_from_float`, `null` is `int_type`, as Pydantic's lax mode says.
 *
 * @example
 * ```ts
 * typeError("integer", ["query", "page"], "two"); // { type: "int_parsing", ... }
 * ```
 */
export function typeError(expected: string, loc: Loc, input: unknown): ErrorDetail {
  switch (expected) {
    case "string": return pydantic.stringType(loc, input);
    case "int":
    case "integer":
    case "bigint":
      if (typeof input === "string") return pydantic.intParsing(loc, input);
      if (typeof input === "number" && !Number.isFinite(input)) return pydantic.finiteNumber(loc, input);
      if (typeof input === "number" && !Number.isInteger(input)) return pydantic.intFromFloat(loc, input);
      return pydantic.intType(loc, input);
    case "number":
      if (typeof input === "string") return pydantic.floatParsing(loc, input);
      if (typeof input === "number") return pydantic.finiteNumber(loc, input);
      return pydantic.floatType(loc, input);
    case "boolean":
      return typeof input === "string" || Number.isInteger(input) ? pydantic.boolParsing(loc, input) : pydantic.boolType(loc, input);
    case "array":
    case "tuple":
    case "set": return pydantic.listType(loc, input);
    case "object": return pydantic.modelAttributesType(loc, input);
    case "null": return { type: "none_required", loc, msg: "Input should be None", input };
    case "record":
    case "map": return pydantic.dictType(loc, input);
    case "date":
    case "datetime": return pydantic.datetimeParsing(loc, input);
    default: return { type: `${expected}_type`, loc, msg: `Input should be a valid ${expected}`, input };
  }
}

/** The first problem the `uuid` crate (behind Pydantic) reports for a malformed UUID, or `null`. */
function uuidProblem(text: string): string | null {
  let body = text;
  let simple = true;
  if (text.startsWith("{") && text.endsWith("}") && text.length >= 2) [body, simple] = [text.slice(1, -1), false];
  else if (text.startsWith("urn:uuid:")) [body, simple] = [text.slice(9), false];
  const chars = [...body];
  const bounds: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "-") bounds.push(i);
    else if (!/^[0-9a-fA-F]$/.test(c)) return `invalid character: found \`${c}\` at ${i + 1}`;
  }
  if (bounds.length === 0 && simple) return `invalid length: expected length 32 for simple format, found ${chars.length}`;
  if (bounds.length !== 4) return `invalid group count: expected 5, found ${bounds.length + 1}`;
  const starts = [0, 9, 14, 19, 24];
  const expected = [8, 4, 4, 4, 12];
  for (let g = 0; g < 4; g++) {
    if (bounds[g] !== starts[g + 1]! - 1) return `invalid group length in group ${g}: expected ${expected[g]}, found ${bounds[g]! - starts[g]!}`;
  }
  if (chars.length !== 36) return `invalid group length in group 4: expected 12, found ${chars.length - 24}`;
  return null;
}

const isDigits = (text: string, from: number, to: number): boolean => text.length >= to && /^\d+$/.test(text.slice(from, to));

/** speedate's wording for the date part (`YYYY-MM-DD`), or `null` when it is valid and complete. */
function dateProblem(text: string): string | null {
  if (text.length < 10) return "input is too short";
  if (!isDigits(text, 0, 4)) return "invalid character in year";
  if (text[4] !== "-") return "invalid date separator, expected `-`";
  if (!isDigits(text, 5, 7)) return "invalid character in month";
  if (text[7] !== "-") return "invalid date separator, expected `-`";
  if (!isDigits(text, 8, 10)) return "invalid character in day";
  const [year, month, day] = [Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10))];
  if (month < 1 || month > 12) return "month value is outside expected range of 1-12";
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day < 1 || day > days) return "day value is outside expected range";
  if (text.length > 10) return "unexpected extra characters at the end of the input";
  return null;
}

/** speedate's wording for a full datetime, or `null` when it parses (with a time). */
function datetimeProblem(text: string): string | null {
  const date = dateProblem(text.slice(0, 10));
  if (date !== null) return date;
  if (text.length === 10) return "input is too short";
  if (!/[Tt_ ]/.test(text[10]!)) return "invalid datetime separator, expected `T`, `t`, `_` or space";
  const time = text.slice(11);
  if (time.length < 5) return "input is too short";
  if (!isDigits(time, 0, 2)) return "invalid character in hour";
  if (time[2] !== ":") return "invalid time separator, expected `:`";
  if (!isDigits(time, 3, 5)) return "invalid character in minute";
  if (Number(time.slice(0, 2)) > 23) return "hour value is outside expected range of 0-23";
  if (Number(time.slice(3, 5)) > 59) return "minute value is outside expected range of 0-59";
  let rest = time.slice(5);
  if (rest.startsWith(":")) {
    if (!isDigits(rest, 1, 3)) return "invalid character in second";
    if (Number(rest.slice(1, 3)) > 59) return "second value is outside expected range of 0-59";
    rest = rest.slice(3);
    if (rest.startsWith(".") || rest.startsWith(",")) {
      const digits = /^[.,](\d*)/.exec(rest)![1]!;
      if (digits.length === 0) return "second fraction digits missing after `.`";
      rest = rest.slice(1 + digits.length);
    }
  }
  return offsetProblem(rest);
}

function offsetProblem(rest: string): string | null {
  if (rest === "") return null;
  if (rest[0] === "Z" || rest[0] === "z") return rest.length === 1 ? null : "unexpected extra characters at the end of the input";
  if (rest[0] !== "+" && rest[0] !== "-") return "invalid timezone sign";
  if (!isDigits(rest, 1, 3)) return "invalid timezone hour";
  if (Number(rest.slice(1, 3)) > 23) return "timezone offset must be less than 24 hours";
  let tail = rest.slice(3);
  if (tail.startsWith(":")) tail = tail.slice(1);
  if (tail === "") return null;
  if (!isDigits(tail, 0, 2)) return "invalid timezone minute";
  if (Number(tail.slice(0, 2)) > 59) return "timezone minute value is outside expected range of 0-59";
  return tail.length === 2 ? null : "unexpected extra characters at the end of the input";
}

/** The `url` crate's wording for the common malformed URLs. */
function urlProblem(text: string): string {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(text);
  if (!scheme) return text.length === 0 ? "input is empty" : "relative URL without a base";
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/(?:[/?#]|$)/.test(text)) return "empty host";
  return "invalid international domain name";
}
