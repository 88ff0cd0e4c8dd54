import type { AnySchema } from "./types.ts";

/** A JSON Schema object (draft 2020-12). */
export type JsonSchema = Record<string, any>;

/** Converts a schema of one vendor to JSON Schema when it lacks `~standard.jsonSchema`. */
export type JsonSchemaAdapter = (schema: AnySchema, mode: "input" | "output") => JsonSchema | undefined;

const adapters = new Map<string, JsonSchemaAdapter>();

/**
 * Teach Velox to produce JSON Schema for a validation library that does not implement Standard
 * JSON Schema yet (for example Valibot via `@valibot/to-json-schema`).
 *
 * @example
 * ```ts
 * import { toJsonSchema } from "@valibot/to-json-schema";
 * registerJsonSchemaAdapter("valibot", (schema) => toJsonSchema(schema as any));
 * ```
 */
export function registerJsonSchemaAdapter(vendor: string, adapter: JsonSchemaAdapter): void {
  adapters.set(vendor, adapter);
}

const cache = { input: new WeakMap<object, JsonSchema | null>(), output: new WeakMap<object, JsonSchema | null>() };

/**
 * The JSON Schema (draft 2020-12) of a Standard Schema, for requests (`input`) or responses
 * (`output`), or `undefined` when the library cannot describe it. Results are cached per schema.
 *
 * @example
 * ```ts
 * toJsonSchema(z.int().min(1), "input"); // { type: "integer", minimum: 1, ... }
 * ```
 */
export function toJsonSchema(schema: AnySchema, mode: "input" | "output"): JsonSchema | undefined {
  const hit = cache[mode].get(schema);
  if (hit !== undefined) return hit ?? undefined;
  let result: JsonSchema | undefined;
  const std = schema["~standard"] as AnySchema["~standard"] & { jsonSchema?: { input: (o: object) => JsonSchema; output: (o: object) => JsonSchema } };
  try {
    if (std.jsonSchema) result = std.jsonSchema[mode]({ target: "draft-2020-12" });
    else result = adapters.get(std.vendor)?.(schema, mode);
  } catch {
    result = undefined;
  }
  cache[mode].set(schema, result ?? null);
  return result;
}

/** Follows a local `$ref` (`#/$defs/Name`) against the root document. */
export function resolveRef(node: JsonSchema, root: JsonSchema): JsonSchema {
  let current = node;
  for (let i = 0; i < 32 && typeof current.$ref === "string"; i++) {
    const path = current.$ref.replace(/^#\//, "").split("/").map((p: string) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    let target: any = root;
    for (const part of path) target = target?.[part];
    if (!target || typeof target !== "object") return current;
    current = target;
  }
  return current;
}

/** Drops `null` alternatives and wrappers so the remaining schema says what a present value must be. */
export function unwrapNullable(node: JsonSchema, root: JsonSchema): JsonSchema {
  let current = resolveRef(node, root);
  for (let i = 0; i < 8; i++) {
    const alternatives: JsonSchema[] | undefined = current.anyOf ?? current.oneOf;
    if (!alternatives) break;
    const nonNull = alternatives.map((a) => resolveRef(a, root)).filter((a) => a.type !== "null" && !(a.not && Object.keys(a.not).length === 0));
    if (nonNull.length !== 1) break;
    current = nonNull[0]!;
  }
  if (Array.isArray(current.type)) {
    const types = current.type.filter((t: string) => t !== "null");
    if (types.length === 1) current = { ...current, type: types[0] };
  }
  return current;
}

/** The sub-schema at `path` (object properties, array items), or `undefined` when unknown. */
export function schemaAt(root: JsonSchema | undefined, path: readonly (string | number)[]): JsonSchema | undefined {
  if (!root) return undefined;
  let node: JsonSchema | undefined = unwrapNullable(root, root);
  for (const key of path) {
    if (!node) return undefined;
    let next: JsonSchema | undefined;
    if (typeof key === "number" || node.type === "array") {
      next = node.prefixItems?.[Number(key)] ?? node.items;
    } else {
      next = node.properties?.[key] ?? (typeof node.additionalProperties === "object" ? node.additionalProperties : undefined);
    }
    node = next ? unwrapNullable(next, root) : undefined;
  }
  return node;
}
