import type { ErrorDetail } from "../../http-exception.ts";

type Loc = readonly (string | number)[];

/**
 * Pydantic checks a value's constraints in a fixed order and stops at the first failure: strings
 * check min_length, max_length, then pattern; numbers multiple_of, le, lt, ge, then gt. Validators
 * such as Zod or Valibot report every failed check, so the lowest rank wins a location.
 */
const RANK: Readonly<Record<string, number>> = {
  string_too_short: 1,
  string_too_long: 2,
  string_pattern_mismatch: 3,
  multiple_of: 1,
  less_than_equal: 2,
  less_than: 3,
  greater_than_equal: 4,
  greater_than: 5,
};

const rank = (detail: ErrorDetail): number => RANK[detail.type] ?? 0;
const locKey = (loc: Loc): string => JSON.stringify(loc);
const isUnder = (parent: Loc, child: Loc): boolean =>
  child.length > parent.length && parent.every((key, i) => key === child[i]);

/**
 * Reduces a validator's errors to what Pydantic reports for the same input: one error per location
 * (the first constraint in Pydantic's order), a list that is too long hides its items' errors
 * (Pydantic stops reading it), and a list whose items fail is not also reported as too short.
 *
 * @example
 * ```ts
 * asPydanticReports([greaterThan(["body", "n"], 0, 5), multipleOf(["body", "n"], 0, 3)]); // [multipleOf]
 * ```
 */
export function asPydanticReports(details: ErrorDetail[]): ErrorDetail[] {
  if (details.length < 2) return details;
  const index = new Map<string, number>();
  let out: ErrorDetail[] = [];
  for (const detail of details) {
    const key = locKey(detail.loc);
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, out.length);
      out.push(detail);
    } else if (rank(detail) < rank(out[at]!)) out[at] = detail;
  }
  const tooLong = out.filter((d) => d.type === "too_long");
  if (tooLong.length > 0) out = out.filter((d) => !tooLong.some((t) => isUnder(t.loc, d.loc)));
  if (out.some((d) => d.type === "too_short")) {
    out = out.filter((d) => d.type !== "too_short" || !out.some((other) => isUnder(d.loc, other.loc)));
  }
  return out;
}
