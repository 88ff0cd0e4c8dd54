import { toJsonSchema } from "../schema/json-schema.ts";
import type { AnySchema } from "../schema/types.ts";
import { collectRefs, jsonEqual, mapRefs } from "./json-walk.ts";
import type { SchemaObject } from "./types.ts";

/**
 * Requests are documented with a schema's input form, responses with its output form.
 *
 * @example
 * ```ts
 * registry.use(Item, "output" satisfies SchemaMode);
 * ```
 */
export type SchemaMode = "input" | "output";

const COMPONENTS = "#/components/schemas/";
/** Refs point at placeholders until every schema is known and the final names can be chosen. */
const MARK = "\u0000";
const placeholder = (mode: SchemaMode, key: string) => `${MARK}${mode}${MARK}${key}${MARK}`;
const PLACEHOLDER = /^\u0000(input|output)\u0000([^\u0000]*)\u0000(.*)$/s;
const FIXED_MODE = "input";

interface Definition {
  mode: SchemaMode;
  key: string;
  /** The definition with its refs rewritten; `PENDING` while the definitions around it are read. */
  content: SchemaObject;
  /** The definition as the library wrote it, to tell a second use of the same model from a clash of ids. */
  raw: SchemaObject;
}

const PENDING: SchemaObject = Object.freeze({});

/** A key a component name may use (OpenAPI allows `[A-Za-z0-9._-]`). */
function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, "_");
  return cleaned === "" ? "Model" : cleaned;
}

function stripMeta(node: SchemaObject): SchemaObject {
  const { $schema: _s, $defs: _d, definitions: _o, $id: _i, ...rest } = node;
  return rest;
}

/** Zod's output form says `additionalProperties: false` where the input form is silent: not a difference worth two names. */
const lenient = (input: Record<string, unknown>, output: Record<string, unknown>, key: string) =>
  key === "additionalProperties" && output[key] === false && !(key in input);

/**
 * Collects the JSON Schemas of every request and response of an app and turns them into
 * `components/schemas`: each `$defs` entry (Zod's `meta({ id })`) becomes a component, refs are
 * rewritten to `#/components/schemas/Name`, and a model whose request and response forms differ
 * is split into `Name-Input` and `Name-Output`, as FastAPI does.
 *
 * @example
 * ```ts
 * const registry = new SchemaRegistry({ separateInputOutputSchemas: true });
 * const doc = { paths: { "/items": { post: { requestBody: registry.use(ItemIn, "input") } } } };
 * const schemas = registry.finish(doc); // { ItemIn: {...} }, refs in doc rewritten
 * ```
 */
export class SchemaRegistry {
  private readonly defs = new Map<string, Definition>();
  private readonly fixed = new Map<string, SchemaObject>();
  private readonly roots = { input: new WeakMap<object, SchemaObject>(), output: new WeakMap<object, SchemaObject>() };
  private readonly separate: boolean;

  constructor(options: { separateInputOutputSchemas: boolean }) {
    this.separate = options.separateInputOutputSchemas;
  }

  /**
   * The schema to put in the document for `schema` used as `mode`: a `$ref` to a component when it
   * has an id, the inline schema otherwise (`{}` when the library cannot describe it). `hint` names
   * an anonymous schema that refers to itself and so must become a component.
   */
  use(schema: AnySchema, mode: SchemaMode, hint = "Model"): SchemaObject {
    const effective = this.separate ? mode : FIXED_MODE;
    let result = this.roots[effective].get(schema);
    if (result === undefined) {
      const json = toJsonSchema(schema, effective);
      result = json ? this.register(json, effective, hint) : {};
      this.roots[effective].set(schema, result);
    }
    return structuredClone(result);
  }

  /** Adds a component under a fixed name (Velox's own, e.g. `HTTPValidationError`) and returns a ref to it. */
  define(name: string, content: SchemaObject): SchemaObject {
    this.fixed.set(name, content);
    return { $ref: COMPONENTS + name };
  }

  /** Adds an anonymous object Velox assembled (a form body) as a component named `name`. */
  defineAssembled(name: string, content: SchemaObject, mode: SchemaMode = "input"): SchemaObject {
    const effective = this.separate ? mode : FIXED_MODE;
    const key = this.claim(safeName(name), effective, content);
    return { $ref: placeholder(effective, key) };
  }

  /**
   * The properties and required names of an object schema used as `mode` (for parameter models
   * and form fields), each property already in document form.
   */
  objectShape(schema: AnySchema, mode: SchemaMode): { properties: Record<string, SchemaObject>; required: string[] } | null {
    let node = this.use(schema, mode);
    for (let i = 0; i < 16 && typeof node.$ref === "string"; i++) {
      const match = PLACEHOLDER.exec(node.$ref);
      if (!match || match[3] !== "") return null;
      const def = this.defs.get(`${match[1]}${MARK}${match[2]}`);
      if (!def) return null;
      node = def.content;
    }
    if (typeof node.properties !== "object" || node.properties === null) return null;
    return {
      properties: structuredClone(node.properties as Record<string, SchemaObject>),
      required: Array.isArray(node.required) ? [...node.required] : [],
    };
  }

  private register(json: SchemaObject, mode: SchemaMode, hint: string): SchemaObject {
    const defs: Record<string, SchemaObject> = { ...(json.definitions ?? {}), ...(json.$defs ?? {}) };
    const root = stripMeta(json);
    const selfRef = collectRefs(root).includes("#") || Object.values(defs).some((d) => collectRefs(d).includes("#"));
    const local = new Map<string, string>();
    for (const [name, content] of Object.entries(defs)) local.set(name, this.reserve(safeName(name), mode, content));
    const rootKey = selfRef ? this.reserve(safeName(hint), mode, root) : null;
    const rewrite = (ref: string): string => {
      if (ref === "#" && rootKey !== null) return placeholder(mode, rootKey);
      const match = /^#\/(\$defs|definitions)\/([^/]+)(.*)$/.exec(ref);
      if (!match) return ref;
      const name = match[2]!.replace(/~1/g, "/").replace(/~0/g, "~");
      const key = local.get(name);
      return key === undefined ? ref : placeholder(mode, key) + match[3]!;
    };
    for (const [name, content] of Object.entries(defs)) this.store(mode, local.get(name)!, mapRefs(stripMeta(content), rewrite));
    if (rootKey !== null) {
      this.store(mode, rootKey, mapRefs(root, rewrite));
      return { $ref: placeholder(mode, rootKey) };
    }
    return mapRefs(root, rewrite);
  }

  /** The key a definition is stored under: its name, or a numbered name when another schema already uses it. */
  private reserve(name: string, mode: SchemaMode, content: SchemaObject): string {
    for (let n = 1; ; n++) {
      const key = n === 1 ? name : `${name}${n}`;
      const existing = this.defs.get(`${mode}${MARK}${key}`);
      if (existing === undefined || jsonEqual(existing.raw, content)) {
        if (existing === undefined) this.defs.set(`${mode}${MARK}${key}`, { mode, key, content: PENDING, raw: content });
        return key;
      }
    }
  }

  private claim(name: string, mode: SchemaMode, content: SchemaObject): string {
    const key = this.reserve(name, mode, content);
    this.store(mode, key, content);
    return key;
  }

  private store(mode: SchemaMode, key: string, content: SchemaObject): void {
    const def = this.defs.get(`${mode}${MARK}${key}`)!;
    if (def.content === PENDING) def.content = content;
  }

  /**
   * Chooses the final component names, rewrites every placeholder `$ref` in `document` (in place)
   * and returns `components/schemas`: the components `document` refers to, directly or through
   * each other, sorted by name.
   */
  finish(document: unknown): Record<string, SchemaObject> {
    const byKey = new Map<string, { input?: SchemaObject; output?: SchemaObject }>();
    for (const def of this.defs.values()) {
      const entry = byKey.get(def.key) ?? {};
      entry[def.mode] = def.content;
      byKey.set(def.key, entry);
    }
    const differs = this.differingKeys(byKey);
    const taken = new Set(this.fixed.keys());
    const finalName = new Map<string, string>();
    const unique = (name: string) => {
      let candidate = name;
      for (let n = 2; taken.has(candidate); n++) candidate = `${name}${n}`;
      taken.add(candidate);
      return candidate;
    };
    const schemas: Record<string, SchemaObject> = {};
    for (const [key, entry] of [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (differs.has(key)) {
        const input = unique(`${key}-Input`);
        const output = unique(`${key}-Output`);
        finalName.set(`input${MARK}${key}`, input);
        finalName.set(`output${MARK}${key}`, output);
        schemas[input] = entry.input!;
        schemas[output] = entry.output!;
      } else {
        const name = unique(key);
        finalName.set(`input${MARK}${key}`, name);
        finalName.set(`output${MARK}${key}`, name);
        schemas[name] = (entry.input ?? entry.output)!;
      }
    }
    for (const [name, content] of this.fixed) schemas[name] = content;
    const resolve = (ref: string): string => {
      const match = PLACEHOLDER.exec(ref);
      if (!match) return ref;
      return COMPONENTS + finalName.get(`${match[1]}${MARK}${match[2]}`)! + match[3]!;
    };
    const resolved = mapRefs(schemas, resolve);
    replaceRefsInPlace(document, resolve);
    // A parameter model is read property by property, so its own component may be referred to by nothing.
    const reachable = new Set<string>();
    const visit = (refs: string[]) => {
      for (const ref of refs) {
        if (!ref.startsWith(COMPONENTS)) continue;
        const name = ref.slice(COMPONENTS.length).split("/")[0]!;
        if (reachable.has(name) || !(name in resolved)) continue;
        reachable.add(name);
        visit(collectRefs(resolved[name]));
      }
    };
    visit(collectRefs(document));
    return Object.fromEntries([...reachable].sort().map((name) => [name, resolved[name]!]));
  }

  /** Keys used in both modes whose two forms differ, directly or through a model they refer to. */
  private differingKeys(byKey: Map<string, { input?: SchemaObject; output?: SchemaObject }>): Set<string> {
    const differs = new Set<string>();
    const both = [...byKey].filter(([, e]) => e.input !== undefined && e.output !== undefined);
    const keyOf = (ref: string) => PLACEHOLDER.exec(ref)?.[2];
    const modeless = (node: SchemaObject) => mapRefs(node, (ref) => {
      const match = PLACEHOLDER.exec(ref);
      return match ? `${MARK}${match[2]}${MARK}${match[3]}` : ref;
    });
    for (const [key, entry] of both) {
      if (!jsonEqual(modeless(entry.input!), modeless(entry.output!), lenient)) differs.add(key);
    }
    for (let changed = true; changed;) {
      changed = false;
      for (const [key, entry] of both) {
        if (differs.has(key)) continue;
        const refs = [...collectRefs(entry.input), ...collectRefs(entry.output)].map(keyOf);
        if (refs.some((k) => k !== undefined && differs.has(k))) {
          differs.add(key);
          changed = true;
        }
      }
    }
    return differs;
  }
}

function replaceRefsInPlace(value: unknown, rewrite: (ref: string) => string): void {
  if (Array.isArray(value)) {
    for (const v of value) replaceRefsInPlace(v, rewrite);
  } else if (value !== null && typeof value === "object") {
    const node = value as Record<string, unknown>;
    for (const [key, v] of Object.entries(node)) {
      if (key === "$ref" && typeof v === "string") node[key] = rewrite(v);
      else replaceRefsInPlace(v, rewrite);
    }
  }
}
