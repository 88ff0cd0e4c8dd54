import { VeloxError } from "../errors.ts";
import { resolveRef, type JsonSchema } from "../schema/json-schema.ts";

/**
 * Which fields of a response to keep or drop, as Pydantic's `include`/`exclude`: a list of
 * top-level names, or a tree `{ owner: { email: true } }` for nested fields. A tree under a list
 * field applies to every item (`"__all__"` is accepted as that key too, as in Pydantic).
 *
 * @example
 * ```ts
 * const top: FieldSet = ["id", "name"];
 * const nested: FieldSet = { password_hash: true, owner: { email: true } };
 * ```
 */
export type FieldSet = readonly string[] | { readonly [field: string]: true | FieldSet };

type Tree = Map<string, true | Tree>;

function toTree(set: FieldSet, where: string): Tree {
  const tree: Tree = new Map();
  if (Array.isArray(set)) {
    for (const name of set) {
      if (typeof name !== "string") throw new VeloxError("VX_INVALID_OPTION", `${where}: field names must be strings`);
      tree.set(name, true);
    }
    return tree;
  }
  if (typeof set !== "object" || set === null) throw new VeloxError("VX_INVALID_OPTION", `${where}: expected a list of field names or a tree of them`);
  for (const [name, sub] of Object.entries(set)) {
    if (sub === true) tree.set(name, true);
    else if (typeof sub === "object" && sub !== null) tree.set(name, toTree(sub as FieldSet, where));
    else throw new VeloxError("VX_INVALID_OPTION", `${where}: "${name}" must be true or a nested field set`);
  }
  return tree;
}

/** Object schemas reachable without crossing into properties: through $ref, nullable unions, arrays. */
function mapObjects(node: JsonSchema, root: JsonSchema, fn: (object: JsonSchema) => JsonSchema): JsonSchema {
  const target = resolveRef(node, root);
  if (Array.isArray(target.anyOf) || Array.isArray(target.oneOf)) {
    const key = target.anyOf ? "anyOf" : "oneOf";
    return { ...target, [key]: target[key].map((m: JsonSchema) => mapObjects(m, root, fn)) };
  }
  if (target.type === "array" && target.items && typeof target.items === "object") return { ...target, items: mapObjects(target.items, root, fn) };
  if (target.type === "object" || target.properties) return fn(target);
  return target;
}

/** A list field's tree may name its items with `__all__`, as in Pydantic. */
function itemsTree(node: JsonSchema, root: JsonSchema, tree: Tree | null): Tree | null {
  if (tree === null || resolveRef(node, root).type !== "array") return tree;
  const all = tree.get("__all__");
  return all instanceof Map && tree.size === 1 ? all : tree;
}

function restrict(node: JsonSchema, root: JsonSchema, includeTree: Tree | null, excludeTree: Tree | null, where: string): JsonSchema {
  const include = itemsTree(node, root, includeTree);
  const exclude = itemsTree(node, root, excludeTree);
  return mapObjects(node, root, (object) => {
    const properties: Record<string, JsonSchema> = object.properties ?? {};
    for (const tree of [include, exclude]) {
      for (const name of tree?.keys() ?? []) {
        if (name !== "__all__" && !(name in properties)) throw new VeloxError("VX_INVALID_OPTION", `${where}: the response model has no field "${name}"`);
      }
    }
    const kept: Record<string, JsonSchema> = {};
    for (const [name, prop] of Object.entries(properties)) {
      const inc = include === null ? null : include.get(name) ?? include.get("__all__") ?? undefined;
      const exc = exclude === null ? null : exclude.get(name) ?? exclude.get("__all__") ?? undefined;
      if (inc === undefined || exc === true) continue;
      const subInclude = inc === null || inc === true ? null : inc;
      const subExclude = exc === null || exc === undefined ? null : exc;
      kept[name] = subInclude === null && subExclude === null ? prop : restrict(prop, root, subInclude, subExclude, `${where}.${name}`);
    }
    const required = Array.isArray(object.required) ? object.required.filter((r: string) => r in kept) : undefined;
    // `additionalProperties: false` would make fast-json-stringify's union matching (Ajv) refuse
    // the full value; the serializer writes declared fields only either way.
    const { $ref: _ref, additionalProperties, ...rest } = object;
    return { ...rest, properties: kept, ...(required ? { required } : {}), ...(additionalProperties === false || additionalProperties === undefined ? {} : { additionalProperties }) };
  });
}

/**
 * Applies `include`/`exclude` field sets to a response's JSON Schema, at registration: the
 * serializer compiled from the result writes only the kept fields, with no per-request work.
 * Names the schema does not have throw (a typo would otherwise silently keep a field).
 *
 * @example
 * ```ts
 * applyFieldSets(UserSchema, null, ["password_hash"], "GET /users/{id}");
 * ```
 */
export function applyFieldSets(schema: JsonSchema, include: FieldSet | undefined, exclude: FieldSet | undefined, where: string): JsonSchema {
  if (include === undefined && exclude === undefined) return schema;
  const inc = include === undefined ? null : toTree(include, `${where}: responseInclude`);
  const exc = exclude === undefined ? null : toTree(exclude, `${where}: responseExclude`);
  const restricted = restrict(schema, schema, inc, exc, where);
  return schema.$defs ? { ...restricted, $defs: schema.$defs } : restricted;
}
