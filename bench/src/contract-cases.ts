/**
 * The contract every server must meet before it is timed: valid requests answer with the exact
 * shapes of shared/bench-workloads.md, invalid ones with 422 (FastAPI's status for bad input).
 */
import { isDeepStrictEqual } from "node:util";
import { makeUser } from "../servers/fixtures.ts";
import { ITEM } from "./workloads.ts";

export interface ContractCase {
  name: string;
  method: "GET" | "POST";
  path: string;
  contentType?: string;
  body?: string;
  status: number;
  /** Checks a valid response's JSON; returns a problem or null. */
  verify?: (json: unknown) => string | null;
}

const same = (expected: unknown) => (json: unknown) =>
  isDeepStrictEqual(json, expected) ? null : `expected ${JSON.stringify(expected)}`;

/** The user as JSON carries it: an absent `fields` is `null` (FastAPI sends the key, as the 10-field contract says). */
const userJson = (id: number, fields?: string) => JSON.parse(JSON.stringify(makeUser(id, fields))) as unknown;

function itemVerify(json: unknown): string | null {
  if (typeof json !== "object" || json === null) return "expected an object";
  const { id, ...rest } = json as Record<string, unknown>;
  if (!Number.isInteger(id) || (id as number) < 1) return `id must be a positive integer, got ${JSON.stringify(id)}`;
  return isDeepStrictEqual(rest, ITEM) ? null : `expected the posted item plus an id, got ${JSON.stringify(json)}`;
}

const JSON_TYPE = "application/json";
const item = (patch: Record<string, unknown>) => JSON.stringify({ ...ITEM, ...patch });
const itemWithout = (key: keyof typeof ITEM) => {
  const copy: Record<string, unknown> = { ...ITEM };
  delete copy[key];
  return JSON.stringify(copy);
};
const post = (name: string, body: string, status = 422, contentType = JSON_TYPE): ContractCase =>
  ({ name, method: "POST", path: "/items", contentType, body, status });
const get = (name: string, path: string, status = 422): ContractCase => ({ name, method: "GET", path, status });

export const CONTRACT_CASES: readonly ContractCase[] = [
  { ...get("json", "/json", 200), verify: same({ message: "Hello, World!" }) },
  { ...get("user with fields", "/users/42?fields=name,email", 200), verify: same(userJson(42, "name,email")) },
  { ...get("user without fields", "/users/7", 200), verify: same(userJson(7)) },
  { ...get("user id 2^31-1", "/users/2147483647", 200), verify: same(userJson(2 ** 31 - 1)) },
  { ...post("item", JSON.stringify(ITEM), 201), verify: itemVerify },
  { ...post("item, undeclared field dropped", item({ extra: "x" }), 201), verify: itemVerify },
  get("unknown route", "/nope", 404),
  get("id not a number", "/users/abc"),
  get("id not an integer", "/users/1.5"),
  get("id 0", "/users/0"),
  get("id negative", "/users/-1"),
  get("id 2^31", "/users/2147483648"),
  get("fields bad pattern", "/users/1?fields=name-email"),
  get("fields empty", "/users/1?fields="),
  get("fields 65 chars", `/users/1?fields=${"a".repeat(65)}`),
  post("name empty", item({ name: "" })),
  post("bad sku", item({ sku: "wid-1234" })),
  post("price negative", item({ price: -1 })),
  post("quantity 1.5", item({ quantity: 1.5 })),
  post("quantity 10001", item({ quantity: 10001 })),
  post("inStock not boolean", item({ inStock: "yes" })),
  post("bad category", item({ category: "weapons" })),
  post("11 tags", item({ tags: Array.from({ length: 11 }, (_, i) => `t${i}`) })),
  post("tag 21 chars", item({ tags: ["a".repeat(21)] })),
  post("width 0", item({ dimensions: { width: 0, height: 1, depth: 1 } })),
  post("missing sku", itemWithout("sku")),
  post("missing dimensions", itemWithout("dimensions")),
  post("malformed JSON", "{\"name\":"),
  post("wrong content-type", JSON.stringify(ITEM), 422, "text/plain"),
];
