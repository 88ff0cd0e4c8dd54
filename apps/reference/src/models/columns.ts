import { z } from "zod";

/**
 * Schema fields that fit the database's columns — the rule that keeps request schemas and column
 * types in step. Every value a client sends that reaches a column, or a query on one, is declared
 * with one of these (or checked with {@link fitsInteger} / {@link fitsText} where no schema
 * applies), and a test walks the app's OpenAPI document to make sure no integer input is wider
 * than `integer` and no string input admits U+0000 (`columns.test.ts`).
 *
 * Why: PostgreSQL refuses what SQLite stores. Its `integer` is 32-bit (2^31−1 at most; a JSON
 * integer goes to 2^53−1), and its text types cannot hold U+0000. A value past either answered
 * 500 on PostgreSQL and passed on SQLite, so the suites that ran on both databases missed it.
 */

/** Largest value of PostgreSQL's `integer` (SQLite's INTEGER holds 64 bits). */
export const INTEGER_MAX = 2_147_483_647;
/** Smallest value of PostgreSQL's `integer`. */
export const INTEGER_MIN = -2_147_483_648;

const NO_NUL = /^[^\u0000]*$/;
const NUL_MESSAGE = "must not contain the NUL character (U+0000)";

/**
 * A row id as stored in an `integer` identity column: 1 to 2^31−1.
 *
 * @example
 * ```ts
 * router.get("/items/{item_id}", { path: { item_id: idField() } }, …);
 * ```
 */
export function idField() {
  return z.int32().min(1);
}

/**
 * An integer that lands in an `integer` column or is multiplied into a query's offset (page
 * numbers): −2^31 to 2^31−1 before any narrower bound.
 *
 * @example
 * ```ts
 * const page = integerField().min(1).default(1);
 * ```
 */
export function integerField() {
  return z.int32();
}

/**
 * A string stored in a `varchar(maxLength)` or `text` column: at most `maxLength` characters
 * (UTF-16 code units, never more than PostgreSQL's code points) and no U+0000, which PostgreSQL's
 * text types cannot hold. Chain `.trim()`, `.min()` or `.regex()` on it as usual.
 *
 * @example
 * ```ts
 * const title = textField(200).trim().min(1); // varchar(200)
 * ```
 */
export function textField(maxLength: number) {
  return z.string().max(maxLength).regex(NO_NUL, NUL_MESSAGE);
}

/**
 * Whether `value` fits an `integer` column: for lookups by a value no schema bounded (a token's
 * subject). A value that cannot be stored matches no row.
 *
 * @example
 * ```ts
 * if (!fitsInteger(id)) return undefined; // no such user
 * ```
 */
export function fitsInteger(value: number): boolean {
  return Number.isInteger(value) && value >= INTEGER_MIN && value <= INTEGER_MAX;
}

/**
 * Whether `value` fits a text column of `maxLength` characters: for lookups by a value no schema
 * bounded (the OAuth2 login form is the framework's, and accepts any string).
 *
 * @example
 * ```ts
 * if (!fitsText(username, 64)) return undefined; // no such user
 * ```
 */
export function fitsText(value: string, maxLength: number): boolean {
  return value.length <= maxLength && NO_NUL.test(value);
}
