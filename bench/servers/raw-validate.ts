/**
 * Hand-written validation for the raw node:http baseline: what a careful author writes without a
 * framework. Each function returns the first problem found, or null.
 */
import { CATEGORIES, FIELDS_PATTERN, ID_MAX, SKU_PATTERN } from "./fixtures.ts";

export interface Problem {
  loc: (string | number)[];
  msg: string;
}

const DIGITS = /^[0-9]{1,10}$/;

/** Parses the path id; null when it is not an integer in 1..2^31-1. */
export function parseId(raw: string): number | null {
  if (!DIGITS.test(raw)) return null;
  const id = Number(raw);
  return id >= 1 && id <= ID_MAX ? id : null;
}

export function checkFields(fields: string | undefined): Problem | null {
  if (fields === undefined) return null;
  if (fields.length < 1 || fields.length > 64 || !FIELDS_PATTERN.test(fields)) {
    return { loc: ["query", "fields"], msg: "fields must be 1-64 chars of [A-Za-z_,]" };
  }
  return null;
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === "string";
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function problem(field: string, msg: string): Problem {
  return { loc: ["body", field], msg };
}

export function checkItem(body: unknown): Problem | null {
  if (!isObject(body)) return { loc: ["body"], msg: "body must be an object" };
  const { name, sku, price, quantity, inStock, category, tags, dimensions } = body;
  if (!isString(name) || name.length < 1 || name.length > 100) return problem("name", "1-100 chars");
  if (!isString(sku) || !SKU_PATTERN.test(sku)) return problem("sku", "must match ^[A-Z]{3}-\\d{5}$");
  if (!isNumber(price) || price < 0) return problem("price", "number >= 0");
  if (!Number.isInteger(quantity) || (quantity as number) < 0 || (quantity as number) > 10000) {
    return problem("quantity", "integer 0..10000");
  }
  if (typeof inStock !== "boolean") return problem("inStock", "boolean");
  if (!(CATEGORIES as readonly unknown[]).includes(category)) return problem("category", "unknown category");
  if (!Array.isArray(tags) || tags.length > 10) return problem("tags", "at most 10 tags");
  for (const tag of tags) {
    if (!isString(tag) || tag.length < 1 || tag.length > 20) return problem("tags", "tags are 1-20 chars");
  }
  if (!isObject(dimensions)) return problem("dimensions", "object");
  for (const key of ["width", "height", "depth"] as const) {
    const v = dimensions[key];
    if (!isNumber(v) || v <= 0) return problem("dimensions", `${key} must be a number > 0`);
  }
  return null;
}
