import type { StandardSchemaV1 } from "@standard-schema/spec";
import sjson from "secure-json-parse";
import type { CacheEntry } from "./entry.ts";

/**
 * A cache entry as stored in Redis: JSON, `{"v":value,"f":fresh,"g":stale,"t":tags}`. Never an
 * eval-like format: reading an entry can at worst produce a wrong value, never run code.
 *
 * @example
 * ```ts
 * const text = encodeEntry({ value: { id: 1 }, fresh: 1, stale: 2, tags: [] });
 * ```
 */
export function encodeEntry(entry: CacheEntry): string {
  return JSON.stringify({ v: entry.value, f: entry.fresh, g: entry.stale, t: entry.tags });
}

/**
 * Reads a stored entry back. Anything that is not a well-formed entry (truncated, written by
 * something else, a `__proto__` trick) is `undefined`: a miss, never an error for the caller.
 *
 * @example
 * ```ts
 * decodeEntry('{"v":1,"f":2,"g":3,"t":[]}'); // { value: 1, fresh: 2, stale: 3, tags: [] }
 * decodeEntry("not json"); // undefined
 * ```
 */
export function decodeEntry(text: string): CacheEntry | undefined {
  let raw: unknown;
  try {
    raw = sjson.parse(text, null, { protoAction: "remove", constructorAction: "remove" });
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null || !("v" in raw)) return undefined;
  const { v, f, g, t } = raw as Record<string, unknown>;
  if (typeof f !== "number" || typeof g !== "number" || !Array.isArray(t) || !t.every((tag) => typeof tag === "string")) return undefined;
  return { value: v, fresh: f, stale: g, tags: t as string[] };
}

/**
 * Validates a value read from a store with a Standard Schema (zod, valibot, arktype): the output
 * of the schema, or `undefined` when it does not pass — the caller treats that as a miss.
 *
 * @example
 * ```ts
 * await checkValue(z.object({ id: z.number() }), { id: "1" }); // undefined
 * ```
 */
export async function checkValue<T>(schema: StandardSchemaV1<unknown, T> | undefined, value: unknown): Promise<{ value: T } | undefined> {
  if (schema === undefined) return { value: value as T };
  let result = schema["~standard"].validate(value);
  if (result instanceof Promise) result = await result;
  return result.issues === undefined ? { value: result.value } : undefined;
}
