/** Small structural helpers over plain JSON values used by the OpenAPI generator. */

/**
 * A deep copy in which every string `$ref` is replaced by `rewrite($ref)`.
 *
 * @example
 * ```ts
 * mapRefs({ $ref: "#/$defs/Item" }, (r) => r.replace("#/$defs/", "#/components/schemas/"));
 * ```
 */
export function mapRefs<T>(value: T, rewrite: (ref: string) => string): T {
  if (Array.isArray(value)) return value.map((v) => mapRefs(v, rewrite)) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = key === "$ref" && typeof v === "string" ? rewrite(v) : mapRefs(v, rewrite);
  }
  return out as T;
}

/**
 * Every string `$ref` inside `value`.
 *
 * @example
 * ```ts
 * collectRefs({ items: { $ref: "#/x" } }); // ["#/x"]
 * ```
 */
export function collectRefs(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, into);
  } else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (key === "$ref" && typeof v === "string") into.push(v);
      else collectRefs(v, into);
    }
  }
  return into;
}

/**
 * Deep equality of JSON values; `ignore(a, b, key)` may declare a property difference irrelevant.
 *
 * @example
 * ```ts
 * jsonEqual({ a: [1] }, { a: [1] }); // true
 * ```
 */
export function jsonEqual(a: unknown, b: unknown, ignore?: (a: Record<string, unknown>, b: Record<string, unknown>, key: string) => boolean): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => jsonEqual(v, other[i], ignore));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const key of keys) {
    if (ignore?.(x, y, key)) continue;
    if (!(key in x) || !(key in y) || !jsonEqual(x[key], y[key], ignore)) return false;
  }
  return true;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Merges `source` into `target` recursively, like FastAPI's `deep_dict_update`: objects merge,
 * arrays are concatenated (so `openapiExtra` can add parameters), anything else replaces.
 * Returns `target`.
 *
 * @example
 * ```ts
 * deepMerge({ a: { b: 1 }, tags: ["x"] }, { a: { c: 2 }, tags: ["y"] }); // { a: { b: 1, c: 2 }, tags: ["x", "y"] }
 * ```
 */
export function deepMerge<T extends Record<string, unknown>>(target: T, source: Record<string, unknown>): T {
  const out = target as Record<string, unknown>;
  for (const [key, value] of Object.entries(source)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
    const current = out[key];
    if (isPlainObject(current) && isPlainObject(value)) deepMerge(current, value);
    else if (Array.isArray(current) && Array.isArray(value)) out[key] = [...current, ...structuredClone(value)];
    else out[key] = structuredClone(value);
  }
  return target;
}
