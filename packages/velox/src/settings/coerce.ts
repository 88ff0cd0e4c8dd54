import { deref, jsonTypes, type JsonSchema } from "./json-types.ts";

/** The outcome of turning one environment string into the JSON type its schema declares. */
export type Coerced = { ok: true; value: unknown } | { ok: false; problem: string };

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Coerces an environment string to the JSON type of its field schema: integer, number, boolean
 * (`true/false`, `1/0`, `yes/no`, `on/off`), array (comma-separated, or a JSON array), object
 * (JSON). A field that admits strings keeps the raw string. An empty string counts as unset for
 * every type but string and array. Problems never quote the value, which may be a secret.
 *
 * @example
 * ```ts
 * coerceEnvValue("8000", { type: "integer" });          // { ok: true, value: 8000 }
 * coerceEnvValue("a, b", { type: "array", items: {} }); // { ok: true, value: ["a", "b"] }
 * coerceEnvValue("maybe", { type: "boolean" });         // { ok: false, problem: "expected a boolean (…)" }
 * ```
 */
export function coerceEnvValue(raw: string, schema: JsonSchema | undefined, root: JsonSchema = schema ?? {}): Coerced {
  const types = jsonTypes(schema, root);
  if (types.size === 0 || types.has("string")) return { ok: true, value: raw };
  const text = raw.trim();
  if (text === "" && !types.has("array")) return { ok: true, value: undefined };
  if (types.has("null") && text.toLowerCase() === "null") return { ok: true, value: null };
  if (types.has("boolean")) {
    const lower = text.toLowerCase();
    if (TRUE.has(lower)) return { ok: true, value: true };
    if (FALSE.has(lower)) return { ok: true, value: false };
  }
  if (types.has("integer") && INTEGER.test(text)) {
    const value = Number(text);
    if (Number.isSafeInteger(value)) return { ok: true, value };
    return { ok: false, problem: "expected an integer between -(2^53-1) and 2^53-1" };
  }
  if (types.has("number") && NUMBER.test(text)) {
    const value = Number(text);
    if (Number.isFinite(value)) return { ok: true, value };
  }
  if (types.has("array")) return coerceArray(text, arrayItems(schema, root), root);
  if (types.has("object") && text.startsWith("{")) {
    const parsed = parseJson(text);
    if (parsed.ok && isPlainObject(parsed.value)) return parsed;
  }
  return { ok: false, problem: `expected ${describe(types)}` };
}

function coerceArray(text: string, items: JsonSchema | undefined, root: JsonSchema): Coerced {
  if (text.startsWith("[")) {
    const parsed = parseJson(text);
    if (parsed.ok && Array.isArray(parsed.value)) return parsed;
    return { ok: false, problem: "expected a comma-separated list or a JSON array" };
  }
  if (text === "") return { ok: true, value: [] };
  const out: unknown[] = [];
  const parts = text.split(",").map((part) => part.trim());
  for (const [index, part] of parts.entries()) {
    const item = coerceEnvValue(part, items, root);
    if (!item.ok) return { ok: false, problem: `item ${index + 1}: ${item.problem}` };
    out.push(item.value);
  }
  return { ok: true, value: out };
}

function arrayItems(schema: JsonSchema | undefined, root: JsonSchema): JsonSchema | undefined {
  const node = deref(schema, root);
  if (!node) return undefined;
  if (node.items !== undefined && typeof node.items !== "boolean") return node.items;
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) {
    const items = arrayItems(branch, root);
    if (items) return items;
  }
  return undefined;
}

function parseJson(text: string): Coerced {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: "expected valid JSON" };
  }
}

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(types: Set<string>): string {
  const names: Record<string, string> = {
    integer: "an integer",
    number: "a number",
    boolean: "a boolean (true/false, 1/0, yes/no, on/off)",
    object: "a JSON object",
    array: "a comma-separated list",
    null: "null",
  };
  return [...types].map((t) => names[t] ?? t).join(" or ");
}
