import type { ErrorDetail } from "../http-exception.ts";
import { type JsonSchema, resolveRef, unwrapNullable } from "./json-schema.ts";

/**
 * Turns the string(s) a URL, header or cookie carries into the JSON type the schema declares, as
 * FastAPI does from type hints. A value that does not parse is passed on unchanged so the validator
 * reports it (`int_parsing`, `bool_parsing`...). Arrays come from repeated keys; a scalar sent more
 * than once stays an array so validation rejects it instead of silently picking one.
 */
export type Coercer = (raw: string | string[] | undefined) => unknown;

const INTEGER = /^\s*[+-]?\d+\s*$/;
const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const TRUE = new Set(["true", "1", "yes", "on", "t", "y"]);
const FALSE = new Set(["false", "0", "no", "off", "f", "n"]);

const toInteger = (s: string): unknown => (INTEGER.test(s) ? Number(s) : s);
const toNumber = (s: string): unknown => (NUMBER.test(s) ? Number(s) : s);
const toBoolean = (s: string): unknown => {
  const lower = s.toLowerCase();
  return TRUE.has(lower) ? true : FALSE.has(lower) ? false : s;
};
const identity = (s: string): unknown => s;

/**
 * What a present value must be: {@link unwrapNullable}, after dropping the empty `{}` alternatives
 * ArkType writes for `undefined` (`T | undefined` → `anyOf: [T, {}]`), which no present value needs.
 *
 * @example
 * ```ts
 * unwrapOptional({ anyOf: [{ type: "integer" }, {}] }, {}); // { type: "integer" }
 * ```
 */
export function unwrapOptional(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const node = resolveRef(schema, root);
  const alternatives: JsonSchema[] | undefined = node.anyOf ?? node.oneOf;
  if (!Array.isArray(alternatives)) return unwrapNullable(node, root);
  const kept = alternatives.filter((a) => typeof a !== "object" || a === null || Object.keys(a).length > 0);
  if (kept.length === alternatives.length || kept.length === 0) return unwrapNullable(node, root);
  const { anyOf: _any, oneOf: _one, ...rest } = node;
  return unwrapNullable(kept.length === 1 ? { ...rest, ...kept[0] } : { ...rest, anyOf: kept }, root);
}

function scalarFor(schema: JsonSchema | undefined, root: JsonSchema): (s: string) => unknown {
  if (!schema) return identity;
  const node = unwrapOptional(schema, root);
  switch (node.type) {
    case "integer": return toInteger;
    case "number": return toNumber;
    case "boolean": return toBoolean;
    default: return identity;
  }
}

/** Builds the coercer for one parameter from its input JSON Schema (or passes strings through). */
export function coercerFor(schema: JsonSchema | undefined, root: JsonSchema | undefined = schema): Coercer {
  const rootDoc = root ?? {};
  const node = schema ? unwrapOptional(schema, rootDoc) : undefined;
  if (node?.type === "array") {
    const item = scalarFor(node.items ? resolveRef(node.items, rootDoc) : undefined, rootDoc);
    return (raw) => (raw === undefined ? undefined : Array.isArray(raw) ? raw.map(item) : [item(raw)]);
  }
  const scalar = scalarFor(node, rootDoc);
  if (scalar === identity) return (raw) => raw;
  return (raw) => (raw === undefined ? undefined : Array.isArray(raw) ? raw.map(scalar) : scalar(raw));
}

/** True when the schema (after unwrapping null) is an array: such params read every repeated value. */
export function isArraySchema(schema: JsonSchema | undefined, root: JsonSchema | undefined = schema): boolean {
  return !!schema && unwrapOptional(schema, root ?? {}).type === "array";
}

/** Per-property coercers for an object schema (query/header/cookie models). */
export function objectCoercers(schema: JsonSchema | undefined): { properties: Map<string, Coercer>; arrays: Set<string> } {
  const properties = new Map<string, Coercer>();
  const arrays = new Set<string>();
  if (!schema) return { properties, arrays };
  const node = unwrapNullable(schema, schema);
  for (const [key, prop] of Object.entries<JsonSchema>(node.properties ?? {})) {
    properties.set(key, coercerFor(prop, schema));
    if (isArraySchema(prop, schema)) arrays.add(key);
  }
  return { properties, arrays };
}

/** The string(s) the client sent at `path` inside one parameter's raw value. */
function wireValue(raw: unknown, path: readonly (string | number)[]): unknown {
  if (path.length === 0) return raw;
  if (path.length === 1 && typeof path[0] === "number") return Array.isArray(raw) ? raw[path[0]] : path[0] === 0 ? raw : undefined;
  return undefined;
}

/**
 * Puts back the text the client sent as the `input` of errors about coerced values: FastAPI echoes
 * `"0"` for `/items/0` failing `ge=1`, not the number that was validated. `rawOf` gives the raw
 * value of the parameter named by `loc[1]`. Runs only on the error path; returns `details`.
 *
 * @example
 * ```ts
 * withWireInputs([{ type: "greater_than_equal", loc: ["path", "id"], msg: "...", input: 0, ctx: { ge: 1 } }], () => "0");
 * // input is now "0"
 * ```
 */
export function withWireInputs(details: ErrorDetail[], rawOf: (name: string | number) => unknown): ErrorDetail[] {
  for (const detail of details) {
    const input = detail.input;
    if (detail.loc.length < 2 || (typeof input !== "number" && typeof input !== "boolean" && !Array.isArray(input))) continue;
    const raw = wireValue(rawOf(detail.loc[1]!), detail.loc.slice(2));
    if (Array.isArray(input)) {
      if (typeof raw === "string") detail.input = [raw];
      else if (Array.isArray(raw) && raw.length === input.length) detail.input = raw;
    } else if (typeof raw === "string") detail.input = raw;
  }
  return details;
}
