/** The subset of JSON Schema that settings coercion reads. */
export interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  items?: JsonSchema | boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  const?: unknown;
  enum?: unknown[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
}

/**
 * Collects the JSON types a schema admits, following `anyOf`/`oneOf`/`allOf`, local `$ref`s and
 * the types of `const`/`enum` values. An empty set means "anything": the raw string is kept.
 *
 * @example
 * ```ts
 * jsonTypes({ anyOf: [{ type: "integer" }, { type: "null" }] }); // Set { "integer", "null" }
 * ```
 */
export function jsonTypes(schema: JsonSchema | undefined, root: JsonSchema = schema ?? {}): Set<string> {
  const found = new Set<string>();
  collect(schema, root, found, 0);
  return found;
}

/**
 * Follows a local `$ref` (`#/$defs/Name` or `#/definitions/Name`) to the schema it names.
 *
 * @example
 * ```ts
 * deref({ $ref: "#/$defs/Port" }, { $defs: { Port: { type: "integer" } } }); // { type: "integer" }
 * ```
 */
export function deref(schema: JsonSchema | undefined, root: JsonSchema): JsonSchema | undefined {
  let current = schema;
  for (let hops = 0; current?.$ref !== undefined && hops < 16; hops++) {
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(current.$ref);
    if (!match) return current;
    const defs = match[1] === "$defs" ? root.$defs : root.definitions;
    current = defs?.[decodeURIComponent(match[2] ?? "")];
  }
  return current;
}

function collect(schema: JsonSchema | undefined, root: JsonSchema, found: Set<string>, depth: number): void {
  const node = deref(schema, root);
  if (!node || depth > 16) return;
  if (typeof node.type === "string") found.add(node.type);
  else if (Array.isArray(node.type)) for (const t of node.type) found.add(t);
  if (node.const !== undefined) found.add(typeOfValue(node.const));
  if (node.enum && node.type === undefined) for (const value of node.enum) found.add(typeOfValue(value));
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) {
    collect(branch, root, found, depth + 1);
  }
}

function typeOfValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}
