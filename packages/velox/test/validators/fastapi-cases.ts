import type { TestClient } from "../../src/testing/index.ts";

/** One HTTP request of the table, as sent to both FastAPI and Velox. */
export interface WireRequest {
  method: "GET" | "POST" | "PUT";
  url: string;
  /** Arrays repeat the key. */
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  json?: unknown;
  /** A raw body sent as `application/json` (for invalid JSON). */
  body?: string;
}

/** A status and parsed JSON body (or text, when the answer is not JSON). */
export interface Answer {
  status: number;
  body: unknown;
}

/** An invalid request, what FastAPI answered, and where Velox answers otherwise (and why). */
export interface FastApiCase {
  name: string;
  request: WireRequest;
  fastapi: Answer;
  velox?: Answer & { why: string };
}

// Reasons for the rows where Velox differs on purpose or by a known limitation (docs/errors.md).
export const REPEATED_SCALAR = "FastAPI silently keeps the last of a repeated scalar; Velox validates the list and answers Pydantic's error for a list";
export const LAX_MODE = "Pydantic's lax mode accepts \"5\" for an int in a JSON body; Zod, Valibot and ArkType do not";
export const SAFE_INTEGERS = "Python integers are unbounded; z.int() accepts only safe integers (±2^53−1)";
export const INFINITY = "Python reads 1e400 as inf and FastAPI then fails with a 500 encoding the 422; Velox answers finite_number, with input null";

/**
 * Invalid requests against the reference app (see fastapi-reference.py for the FastAPI twin of the
 * apps the tests build), each with the exact answer FastAPI 0.142.2 / Pydantic 2.13.5 / Python 3.11
 * gave, captured by running that app. JSON is compared parsed: FastAPI writes a float constraint
 * as `0.0` where Velox writes `0`.
 */
export const fastapiCases: FastApiCase[] = [
  {
    name: "missing query param",
    request: { method: "GET", url: "/search" },
    fastapi: { status: 422, body: { detail: [{ type: "missing", loc: ["query", "needed"], msg: "Field required", input: null }] } },
  },
  {
    name: "int_parsing in path",
    request: { method: "GET", url: "/items/abc" },
    fastapi: { status: 422, body: { detail: [{ type: "int_parsing", loc: ["path", "item_id"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "abc" }] } },
  },
  {
    name: "int_parsing for a decimal in path",
    request: { method: "GET", url: "/items/1.5" },
    fastapi: { status: 422, body: { detail: [{ type: "int_parsing", loc: ["path", "item_id"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "1.5" }] } },
  },
  {
    name: "greater_than_equal in path",
    request: { method: "GET", url: "/items/0" },
    fastapi: { status: 422, body: { detail: [{ type: "greater_than_equal", loc: ["path", "item_id"], msg: "Input should be greater than or equal to 1", input: "0", ctx: { ge: 1 } }] } },
  },
  {
    name: "int_parsing in query",
    request: { method: "GET", url: "/search", query: { needed: "x", page: "two" } },
    fastapi: { status: 422, body: { detail: [{ type: "int_parsing", loc: ["query", "page"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "two" }] } },
  },
  {
    name: "greater_than in query",
    request: { method: "GET", url: "/items/1", query: { size: "0" } },
    fastapi: { status: 422, body: { detail: [{ type: "greater_than", loc: ["query", "size"], msg: "Input should be greater than 0", input: "0", ctx: { gt: 0 } }] } },
  },
  {
    name: "less_than in query",
    request: { method: "GET", url: "/items/1", query: { size: "100" } },
    fastapi: { status: 422, body: { detail: [{ type: "less_than", loc: ["query", "size"], msg: "Input should be less than 100", input: "100", ctx: { lt: 100 } }] } },
  },
  {
    name: "float_parsing in query",
    request: { method: "GET", url: "/items/1", query: { ratio: "abc" } },
    fastapi: { status: 422, body: { detail: [{ type: "float_parsing", loc: ["query", "ratio"], msg: "Input should be a valid number, unable to parse string as a number", input: "abc" }] } },
  },
  {
    name: "bool_parsing in query",
    request: { method: "GET", url: "/items/1", query: { active: "maybe" } },
    fastapi: { status: 422, body: { detail: [{ type: "bool_parsing", loc: ["query", "active"], msg: "Input should be a valid boolean, unable to interpret input", input: "maybe" }] } },
  },
  {
    name: "string_too_short in query",
    request: { method: "GET", url: "/items/1", query: { q: "ab" } },
    fastapi: { status: 422, body: { detail: [{ type: "string_too_short", loc: ["query", "q"], msg: "String should have at least 3 characters", input: "ab", ctx: { min_length: 3 } }] } },
  },
  {
    name: "string_too_long in query",
    request: { method: "GET", url: "/items/1", query: { q: "abcdefghijk" } },
    fastapi: { status: 422, body: { detail: [{ type: "string_too_long", loc: ["query", "q"], msg: "String should have at most 10 characters", input: "abcdefghijk", ctx: { max_length: 10 } }] } },
  },
  {
    name: "string_pattern_mismatch in query",
    request: { method: "GET", url: "/items/1", query: { code: "abc" } },
    fastapi: { status: 422, body: { detail: [{ type: "string_pattern_mismatch", loc: ["query", "code"], msg: "String should match pattern '^[A-Z]{3}$'", input: "abc", ctx: { pattern: "^[A-Z]{3}$" } }] } },
  },
  {
    name: "list item int_parsing from repeated keys",
    request: { method: "GET", url: "/items/1", query: { ids: ["1", "x"] } },
    fastapi: { status: 422, body: { detail: [{ type: "int_parsing", loc: ["query", "ids", 1], msg: "Input should be a valid integer, unable to parse string as an integer", input: "x" }] } },
  },
  {
    name: "repeated scalar query param",
    request: { method: "GET", url: "/items/1", query: { q: ["abc", "def"] } },
    fastapi: { status: 200, body: { ok: true } },
    velox: { status: 422, body: { detail: [{ type: "string_type", loc: ["query", "q"], msg: "Input should be a valid string", input: ["abc", "def"] }] }, why: REPEATED_SCALAR },
  },
  {
    name: "missing header x_token",
    request: { method: "GET", url: "/whoami", cookies: { session_id: "s" } },
    fastapi: { status: 422, body: { detail: [{ type: "missing", loc: ["header", "x-token"], msg: "Field required", input: null }] } },
  },
  {
    name: "int_parsing in header",
    request: { method: "GET", url: "/whoami", headers: { "x-token": "t", "x-retries": "many" }, cookies: { session_id: "s" } },
    fastapi: { status: 422, body: { detail: [{ type: "int_parsing", loc: ["header", "x-retries"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "many" }] } },
  },
  {
    name: "missing cookie",
    request: { method: "GET", url: "/whoami", headers: { "x-token": "t" } },
    fastapi: { status: 422, body: { detail: [{ type: "missing", loc: ["cookie", "session_id"], msg: "Field required", input: null }] } },
  },
  {
    name: "missing body",
    request: { method: "POST", url: "/items" },
    fastapi: { status: 422, body: { detail: [{ type: "missing", loc: ["body"], msg: "Field required", input: null }] } },
  },
  {
    name: "missing body field",
    request: { method: "POST", url: "/items", json: { name: "Widget" } },
    fastapi: { status: 422, body: { detail: [{ type: "missing", loc: ["body", "price"], msg: "Field required", input: { name: "Widget" } }] } },
  },
  {
    name: "string_type in body",
    request: { method: "POST", url: "/items", json: { name: 123, price: 1 } },
    fastapi: { status: 422, body: { detail: [{ type: "string_type", loc: ["body", "name"], msg: "Input should be a valid string", input: 123 }] } },
  },
  {
    name: "string_too_short in body",
    request: { method: "POST", url: "/items", json: { name: "", price: 1 } },
    fastapi: { status: 422, body: { detail: [{ type: "string_too_short", loc: ["body", "name"], msg: "String should have at least 1 character", input: "", ctx: { min_length: 1 } }] } },
  },
  {
    name: "string_too_long in body",
    request: { method: "POST", url: "/items", json: { name: "abcdefghijklmnopqrstu", price: 1 } },
    fastapi: { status: 422, body: { detail: [{ type: "string_too_long", loc: ["body", "name"], msg: "String should have at most 20 characters", input: "abcdefghijklmnopqrstu", ctx: { max_length: 20 } }] } },
  },
  {
    name: "float_parsing in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: "cheap" } },
    fastapi: { status: 422, body: { detail: [{ type: "float_parsing", loc: ["body", "price"], msg: "Input should be a valid number, unable to parse string as a number", input: "cheap" }] } },
  },
  {
    name: "float_type in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: null } },
    fastapi: { status: 422, body: { detail: [{ type: "float_type", loc: ["body", "price"], msg: "Input should be a valid number", input: null }] } },
  },
  {
    name: "greater_than in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 0 } },
    fastapi: { status: 422, body: { detail: [{ type: "greater_than", loc: ["body", "price"], msg: "Input should be greater than 0", input: 0, ctx: { gt: 0 } }] } },
  },
  {
    name: "greater_than_equal in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, tax: -0.5 } },
    fastapi: { status: 422, body: { detail: [{ type: "greater_than_equal", loc: ["body", "tax"], msg: "Input should be greater than or equal to 0", input: -0.5, ctx: { ge: 0 } }] } },
  },
  {
    name: "less_than_equal in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, tax: 1.5 } },
    fastapi: { status: 422, body: { detail: [{ type: "less_than_equal", loc: ["body", "tax"], msg: "Input should be less than or equal to 1", input: 1.5, ctx: { le: 1 } }] } },
  },
  {
    name: "less_than in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, quantity: 1000 } },
    fastapi: { status: 422, body: { detail: [{ type: "less_than", loc: ["body", "quantity"], msg: "Input should be less than 1000", input: 1000, ctx: { lt: 1000 } }] } },
  },
  {
    name: "int_from_float in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, quantity: 1.5 } },
    fastapi: { status: 422, body: { detail: [{ type: "int_from_float", loc: ["body", "quantity"], msg: "Input should be a valid integer, got a number with a fractional part", input: 1.5 }] } },
  },
  {
    name: "int_parsing in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, quantity: "many" } },
    fastapi: { status: 422, body: { detail: [{ type: "int_parsing", loc: ["body", "quantity"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "many" }] } },
  },
  {
    name: "int_type in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, quantity: null } },
    fastapi: { status: 422, body: { detail: [{ type: "int_type", loc: ["body", "quantity"], msg: "Input should be a valid integer", input: null }] } },
  },
  {
    name: "multiple_of in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, pack: 7 } },
    fastapi: { status: 422, body: { detail: [{ type: "multiple_of", loc: ["body", "pack"], msg: "Input should be a multiple of 5", input: 7, ctx: { multiple_of: 5 } }] } },
  },
  {
    name: "enum in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, kind: "d" } },
    fastapi: { status: 422, body: { detail: [{ type: "enum", loc: ["body", "kind"], msg: "Input should be 'a', 'b' or 'c'", input: "d", ctx: { expected: "'a', 'b' or 'c'" } }] } },
  },
  {
    name: "literal_error in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, mode: "slow" } },
    fastapi: { status: 422, body: { detail: [{ type: "literal_error", loc: ["body", "mode"], msg: "Input should be 'fast'", input: "slow", ctx: { expected: "'fast'" } }] } },
  },
  {
    name: "list_type in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, tags: "x" } },
    fastapi: { status: 422, body: { detail: [{ type: "list_type", loc: ["body", "tags"], msg: "Input should be a valid list", input: "x" }] } },
  },
  {
    name: "too_short in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, tags: [] } },
    fastapi: { status: 422, body: { detail: [{ type: "too_short", loc: ["body", "tags"], msg: "List should have at least 1 item after validation, not 0", input: [], ctx: { field_type: "List", min_length: 1, actual_length: 0 } }] } },
  },
  {
    name: "too_long in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, tags: ["a", "b", "c", "d"] } },
    fastapi: { status: 422, body: { detail: [{ type: "too_long", loc: ["body", "tags"], msg: "List should have at most 3 items after validation, not 4", input: ["a", "b", "c", "d"], ctx: { field_type: "List", max_length: 3, actual_length: 4 } }] } },
  },
  {
    name: "bool_parsing in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, active: "maybe" } },
    fastapi: { status: 422, body: { detail: [{ type: "bool_parsing", loc: ["body", "active"], msg: "Input should be a valid boolean, unable to interpret input", input: "maybe" }] } },
  },
  {
    name: "bool_type in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, active: null } },
    fastapi: { status: 422, body: { detail: [{ type: "bool_type", loc: ["body", "active"], msg: "Input should be a valid boolean", input: null }] } },
  },
  {
    name: "model_attributes_type for a nested field",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, dimensions: "big" } },
    fastapi: { status: 422, body: { detail: [{ type: "model_attributes_type", loc: ["body", "dimensions"], msg: "Input should be a valid dictionary or object to extract fields from", input: "big" }] } },
  },
  {
    name: "nested loc with list indices",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, variants: [{ sku: "ab" }, { stock: 1 }, { sku: "c", stock: "x" }] } },
    fastapi: { status: 422, body: {
      detail: [
        { type: "missing", loc: ["body", "variants", 1, "sku"], msg: "Field required", input: { stock: 1 } },
        { type: "string_too_short", loc: ["body", "variants", 2, "sku"], msg: "String should have at least 2 characters", input: "c", ctx: { min_length: 2 } },
        { type: "int_parsing", loc: ["body", "variants", 2, "stock"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "x" },
      ],
    } },
  },
  {
    name: "uuid_parsing",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, id: "12345678-124-1234-1234-567812345678" } },
    fastapi: { status: 422, body: { detail: [{ type: "uuid_parsing", loc: ["body", "id"], msg: "Input should be a valid UUID, invalid group length in group 1: expected 4, found 3", input: "12345678-124-1234-1234-567812345678", ctx: { error: "invalid group length in group 1: expected 4, found 3" } }] } },
  },
  {
    name: "uuid_parsing short",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, id: "abc" } },
    fastapi: { status: 422, body: { detail: [{ type: "uuid_parsing", loc: ["body", "id"], msg: "Input should be a valid UUID, invalid length: expected length 32 for simple format, found 3", input: "abc", ctx: { error: "invalid length: expected length 32 for simple format, found 3" } }] } },
  },
  {
    name: "uuid_parsing bad char",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, id: "1234567x-1234-1234-1234-567812345678" } },
    fastapi: { status: 422, body: { detail: [{ type: "uuid_parsing", loc: ["body", "id"], msg: "Input should be a valid UUID, invalid character: found `x` at 8", input: "1234567x-1234-1234-1234-567812345678", ctx: { error: "invalid character: found `x` at 8" } }] } },
  },
  {
    name: "datetime_from_date_parsing",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, created: "yesterday" } },
    fastapi: { status: 422, body: { detail: [{ type: "datetime_from_date_parsing", loc: ["body", "created"], msg: "Input should be a valid datetime or date, input is too short", input: "yesterday", ctx: { error: "input is too short" } }] } },
  },
  {
    name: "datetime bad separator",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, created: "2024/01/01" } },
    fastapi: { status: 422, body: { detail: [{ type: "datetime_from_date_parsing", loc: ["body", "created"], msg: "Input should be a valid datetime or date, invalid date separator, expected `-`", input: "2024/01/01", ctx: { error: "invalid date separator, expected `-`" } }] } },
  },
  {
    name: "email value_error",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, contact: "not-an-email" } },
    fastapi: { status: 422, body: { detail: [{ type: "value_error", loc: ["body", "contact"], msg: "value is not a valid email address: An email address must have an @-sign.", input: "not-an-email", ctx: { reason: "An email address must have an @-sign." } }] } },
  },
  {
    name: "email without a period",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, contact: "a@b" } },
    fastapi: { status: 422, body: { detail: [{ type: "value_error", loc: ["body", "contact"], msg: "value is not a valid email address: The part after the @-sign is not valid. It should have a period.", input: "a@b", ctx: { reason: "The part after the @-sign is not valid. It should have a period." } }] } },
  },
  {
    name: "model_attributes_type for a non-object body",
    request: { method: "POST", url: "/items", json: [1, 2] },
    fastapi: { status: 422, body: { detail: [{ type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from", input: [1, 2] }] } },
  },
  {
    name: "model_attributes_type for a string body",
    request: { method: "POST", url: "/items", json: "hello" },
    fastapi: { status: 422, body: { detail: [{ type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from", input: "hello" }] } },
  },
  {
    name: "extra_forbidden",
    request: { method: "POST", url: "/strict", json: { a: 1, b: 2, c: { d: 3 } } },
    fastapi: { status: 422, body: {
      detail: [
        { type: "extra_forbidden", loc: ["body", "b"], msg: "Extra inputs are not permitted", input: 2 },
        { type: "extra_forbidden", loc: ["body", "c"], msg: "Extra inputs are not permitted", input: { d: 3 } },
      ],
    } },
  },
  {
    name: "json_invalid missing value",
    request: { method: "POST", url: "/items", body: "{\"name\": }" },
    fastapi: { status: 422, body: { detail: [{ type: "json_invalid", loc: ["body", 9], msg: "JSON decode error", input: {}, ctx: { error: "Expecting value" } }] } },
  },
  {
    name: "json_invalid trailing comma",
    request: { method: "POST", url: "/items", body: "{\"name\": \"W\",}" },
    fastapi: { status: 422, body: { detail: [{ type: "json_invalid", loc: ["body", 13], msg: "JSON decode error", input: {}, ctx: { error: "Expecting property name enclosed in double quotes" } }] } },
  },
  {
    name: "json_invalid unquoted key",
    request: { method: "POST", url: "/items", body: "{name: 1}" },
    fastapi: { status: 422, body: { detail: [{ type: "json_invalid", loc: ["body", 1], msg: "JSON decode error", input: {}, ctx: { error: "Expecting property name enclosed in double quotes" } }] } },
  },
  {
    name: "json_invalid missing colon",
    request: { method: "POST", url: "/items", body: "{\"name\" 1}" },
    fastapi: { status: 422, body: { detail: [{ type: "json_invalid", loc: ["body", 8], msg: "JSON decode error", input: {}, ctx: { error: "Expecting ':' delimiter" } }] } },
  },
  {
    name: "json_invalid missing comma",
    request: { method: "POST", url: "/items", body: "{\"name\": \"W\" \"price\": 1}" },
    fastapi: { status: 422, body: { detail: [{ type: "json_invalid", loc: ["body", 13], msg: "JSON decode error", input: {}, ctx: { error: "Expecting ',' delimiter" } }] } },
  },
  {
    name: "json_invalid extra data",
    request: { method: "POST", url: "/items", body: "{} {}" },
    fastapi: { status: 422, body: { detail: [{ type: "json_invalid", loc: ["body", 3], msg: "JSON decode error", input: {}, ctx: { error: "Extra data" } }] } },
  },
  {
    name: "json_invalid truncated",
    request: { method: "POST", url: "/items", body: "{\"name\": \"W\"" },
    fastapi: { status: 422, body: { detail: [{ type: "json_invalid", loc: ["body", 12], msg: "JSON decode error", input: {}, ctx: { error: "Expecting ',' delimiter" } }] } },
  },
  {
    name: "json_invalid unterminated string",
    request: { method: "POST", url: "/items", body: "{\"name\": \"W" },
    fastapi: { status: 422, body: { detail: [{ type: "json_invalid", loc: ["body", 9], msg: "JSON decode error", input: {}, ctx: { error: "Unterminated string starting at" } }] } },
  },
  {
    name: "json_invalid bare word",
    request: { method: "POST", url: "/items", body: "hello" },
    fastapi: { status: 422, body: { detail: [{ type: "json_invalid", loc: ["body", 0], msg: "JSON decode error", input: {}, ctx: { error: "Expecting value" } }] } },
  },
  {
    name: "several errors in FastAPI order",
    request: { method: "PUT", url: "/items/0", query: { limit: "x" }, json: { price: -1, tags: [] } },
    fastapi: { status: 422, body: {
      detail: [
        { type: "greater_than_equal", loc: ["path", "item_id"], msg: "Input should be greater than or equal to 1", input: "0", ctx: { ge: 1 } },
        { type: "int_parsing", loc: ["query", "limit"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "x" },
        { type: "missing", loc: ["header", "x-token"], msg: "Field required", input: null },
        { type: "missing", loc: ["body", "name"], msg: "Field required", input: { price: -1, tags: [] } },
        { type: "greater_than", loc: ["body", "price"], msg: "Input should be greater than 0", input: -1, ctx: { gt: 0 } },
        { type: "too_short", loc: ["body", "tags"], msg: "List should have at least 1 item after validation, not 0", input: [], ctx: { field_type: "List", min_length: 1, actual_length: 0 } },
      ],
    } },
  },
  {
    name: "lax string to int in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, quantity: "5" } },
    fastapi: { status: 200, body: { ok: true } },
    velox: { status: 422, body: { detail: [{ type: "int_parsing", loc: ["body", "quantity"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "5" }] }, why: LAX_MODE },
  },
  {
    name: "integer beyond 2^53 in body",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, pack: 90071992547409920 } },
    fastapi: { status: 200, body: { ok: true } },
    velox: { status: 422, body: { detail: [{ type: "less_than_equal", loc: ["body", "pack"], msg: "Input should be less than or equal to 9007199254740991", input: 90071992547409920, ctx: { le: 9007199254740991 } }] }, why: SAFE_INTEGERS },
  },
  {
    name: "1e400 in an int field",
    request: { method: "POST", url: "/items", body: "{\"name\": \"W\", \"price\": 1, \"quantity\": 1e400}" },
    fastapi: { status: 500, body: "Internal Server Error" },
    velox: { status: 422, body: { detail: [{ type: "finite_number", loc: ["body", "quantity"], msg: "Input should be a finite number", input: null }] }, why: INFINITY },
  },
  {
    name: "empty body with content-type",
    request: { method: "POST", url: "/items", body: "" },
    fastapi: { status: 422, body: { detail: [{ type: "missing", loc: ["body"], msg: "Field required", input: null }] } },
  },
  {
    name: "constraints: first failing only",
    request: { method: "POST", url: "/items", json: { name: "W", price: 1, variants: [{ sku: "x" }] } },
    fastapi: { status: 422, body: { detail: [{ type: "string_too_short", loc: ["body", "variants", 0, "sku"], msg: "String should have at least 2 characters", input: "x", ctx: { min_length: 2 } }] } },
  },
];

/**
 * Sends one table request through the test client and returns its status and parsed body.
 *
 * @example
 * ```ts
 * const answer = await replay(client, { method: "GET", url: "/items/abc" });
 * ```
 */
export async function replay(client: Pick<TestClient, "request">, request: WireRequest): Promise<Answer> {
  const headers = request.body !== undefined ? { ...request.headers, "content-type": "application/json" } : request.headers;
  const res = await client.request(request.method, request.url, {
    ...(request.query ? { query: request.query } : {}),
    ...(headers ? { headers } : {}),
    ...(request.cookies ? { cookies: request.cookies } : {}),
    ...(request.json !== undefined ? { json: request.json } : {}),
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  let body: unknown = res.text;
  try {
    body = res.json();
  } catch {
    // not JSON: compare the text
  }
  return { status: res.status, body };
}
