import type { SourceExtractor } from "../params/extract.ts";
import { paramOptions } from "../params/param.ts";
import type { AnySchema } from "../schema/types.ts";
import type { SchemaRegistry } from "./schema-registry.ts";
import type { ParameterObject, SchemaObject } from "./types.ts";

type Location = ParameterObject["in"];

/**
 * True when a schema rejects a missing value, i.e. the parameter or body is required. Decided
 * here by asking the schema itself rather than read from the extractor, so optional and defaulted
 * values (`.optional()`, `.default(...)`) are never documented as required.
 *
 * @example
 * ```ts
 * rejectsUndefined(z.string()); // true
 * rejectsUndefined(z.string().optional()); // false
 * ```
 */
export function rejectsUndefined(schema: AnySchema): boolean {
  const result = schema["~standard"].validate(undefined);
  return result instanceof Promise || result.issues !== undefined;
}

/** Description and deprecation shown on the parameter itself, from `param()` options or the schema's metadata. */
function describe(parameter: ParameterObject, schema: SchemaObject, declared?: AnySchema): ParameterObject {
  const options = declared === undefined ? undefined : paramOptions(declared);
  const description = options?.description ?? schema.description;
  if (typeof description === "string") parameter.description = description;
  if (options?.deprecated === true || schema.deprecated === true) parameter.deprecated = true;
  return parameter;
}

/** `param(schema, { includeInSchema: false })`: read and validated, never documented. */
const documented = (schema: AnySchema): boolean => paramOptions(schema)?.includeInSchema !== false;

function fromSource(source: SourceExtractor, registry: SchemaRegistry): ParameterObject[] {
  const location = source.location as Location;
  if (source.model !== null) {
    const shape = registry.objectShape(source.model, "input");
    if (shape === null) return [];
    const required = new Set(shape.required);
    return source.parameters.map((p) => {
      const schema = shape.properties[p.name] ?? {};
      return describe({ name: p.wire, in: location, required: location === "path" || required.has(p.name), schema }, schema);
    });
  }
  return source.parameters.filter((p) => documented(p.schema)).map((p) => {
    const schema = registry.use(p.schema, "input");
    return describe({ name: p.wire, in: location, required: location === "path" || rejectsUndefined(p.schema), schema }, schema, p.schema);
  });
}

/**
 * The parameters of an operation, in FastAPI's order (path, query, header, cookie) from the route
 * and all its dependencies, one per location and wire name; a required declaration wins over an
 * optional one. Path parameters of the template that no schema declares are documented as strings.
 *
 * @example
 * ```ts
 * operationParameters([...plan.sources], ["item_id"], registry);
 * // [{ name: "item_id", in: "path", required: true, schema: { type: "integer" } }, ...]
 * ```
 */
export function operationParameters(sources: readonly SourceExtractor[], templateParams: readonly string[], registry: SchemaRegistry): ParameterObject[] {
  const byKey = new Map<string, ParameterObject>();
  const add = (parameter: ParameterObject) => {
    const key = `${parameter.in}\u0000${parameter.name}`;
    const existing = byKey.get(key);
    if (existing === undefined || (!existing.required && parameter.required)) byKey.set(key, parameter);
  };
  for (const source of sources) if (source.location !== "form") for (const p of fromSource(source, registry)) add(p);
  for (const name of templateParams) {
    if (!byKey.has(`path\u0000${name}`)) add({ name, in: "path", required: true, schema: { type: "string" } });
  }
  const order: Location[] = ["path", "query", "header", "cookie"];
  return [...byKey.values()].sort((a, b) => order.indexOf(a.in) - order.indexOf(b.in));
}

/**
 * The form fields of an operation (route and dependencies) as one object schema's parts.
 *
 * @example
 * ```ts
 * const { properties, required } = formFields(plan.sources, registry);
 * ```
 */
export function formFields(sources: readonly SourceExtractor[], registry: SchemaRegistry): { properties: Record<string, SchemaObject>; required: string[]; models: SourceExtractor[] } {
  const properties: Record<string, SchemaObject> = {};
  const required = new Set<string>();
  const models: SourceExtractor[] = [];
  for (const source of sources) {
    if (source.location !== "form") continue;
    if (source.model !== null) {
      models.push(source);
      const shape = registry.objectShape(source.model, "input");
      if (shape === null) continue;
      Object.assign(properties, shape.properties);
      for (const name of shape.required) required.add(name);
      continue;
    }
    for (const p of source.parameters) {
      if (!documented(p.schema)) continue;
      properties[p.wire] = registry.use(p.schema, "input");
      if (rejectsUndefined(p.schema)) required.add(p.wire);
    }
  }
  return { properties, required: [...required], models };
}
