import fastJson from "fast-json-stringify";
import { resolveRef, type JsonSchema } from "../schema/json-schema.ts";

/** What a route leaves out of its response, as FastAPI's `response_model_exclude_*` options. */
export interface ExcludeRules {
  /** Leave out fields the handler did not set (defaults filled in by validation are "unset"). */
  excludeUnset?: boolean;
  /** Leave out fields whose value is `null`. */
  excludeNone?: boolean;
  /** Leave out fields equal to their schema `default`. */
  excludeDefaults?: boolean;
}

/** A compiled writer of one schema node: `raw` is the handler's own value at the same place. */
type Writer = (value: unknown, raw: unknown) => string;

const NONE = Symbol("skip");

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function dateText(value: Date, format: unknown): string {
  const iso = value.toISOString();
  if (format === "date") return iso.slice(0, 10);
  if (format === "time") return iso.slice(11, 19);
  return iso;
}

class Compiler {
  private readonly refs = new Map<string, { writer: Writer | null }>();
  constructor(private readonly root: JsonSchema, private readonly rules: Required<ExcludeRules>) {}

  compile(node: JsonSchema | boolean | undefined): Writer {
    if (node === undefined || typeof node === "boolean") return (v) => JSON.stringify(v) ?? "null";
    if (typeof node.$ref === "string") {
      const ref = node.$ref;
      const known = this.refs.get(ref);
      if (known) return (v, r) => known.writer!(v, r);
      const slot: { writer: Writer | null } = { writer: null };
      this.refs.set(ref, slot);
      slot.writer = this.compile(ref === "#" ? this.root : resolveRef(node, this.root));
      return slot.writer;
    }
    if (Array.isArray(node.anyOf) || Array.isArray(node.oneOf)) return this.union(node.anyOf ?? node.oneOf);
    if (Array.isArray(node.allOf) && node.allOf.length === 1) return this.compile(node.allOf[0]);
    if (Array.isArray(node.type)) return this.union(node.type.map((t: string) => ({ ...node, type: t })));
    if ("const" in node || Array.isArray(node.enum)) return (v) => JSON.stringify(v) ?? "null";
    switch (node.type) {
      case "string": {
        const format = node.format;
        return (v) => (typeof v === "string" ? JSON.stringify(v) : v instanceof Date ? `"${dateText(v, format)}"` : v === null || v === undefined ? '""' : JSON.stringify(String(v)));
      }
      case "integer":
        return (v) => {
          const n = typeof v === "number" ? v : Number(v);
          return Number.isFinite(n) ? String(Math.trunc(n)) : "null";
        };
      case "number":
        return (v) => {
          const n = typeof v === "number" ? v : Number(v);
          return Number.isFinite(n) ? String(n) : "null";
        };
      case "boolean":
        return (v) => (v ? "true" : "false");
      case "null":
        return () => "null";
      case "array":
        return this.array(node);
      case "object":
        return this.object(node);
      default:
        if (node.properties) return this.object(node);
        // An unconstrained or composite node: fast-json-stringify handles whatever it describes.
        return this.fallback(node);
    }
  }

  private fallback(node: JsonSchema): Writer {
    try {
      const { $schema: _s, ...rest } = node;
      const fjs = fastJson({ ...rest, ...(this.root.$defs ? { $defs: this.root.$defs } : {}) } as Parameters<typeof fastJson>[0]) as (v: unknown) => string;
      return (v) => fjs(v);
    } catch {
      return (v) => JSON.stringify(v) ?? "null";
    }
  }

  private array(node: JsonSchema): Writer {
    const prefix: Writer[] = Array.isArray(node.prefixItems) ? node.prefixItems.map((p: JsonSchema) => this.compile(p)) : [];
    const items = this.compile(node.items);
    return (v, r) => {
      if (!Array.isArray(v)) return "[]";
      const raw = Array.isArray(r) ? r : v;
      let out = "[";
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out += ",";
        out += (i < prefix.length ? prefix[i]! : items)(v[i], raw[i]);
      }
      return out + "]";
    };
  }

  private object(node: JsonSchema): Writer {
    const rules = this.rules;
    const fields = Object.entries<JsonSchema>(node.properties ?? {}).map(([key, prop]) => {
      const resolved = typeof prop === "object" ? resolveRef(prop, this.root) : {};
      const hasDefault = typeof resolved === "object" && "default" in resolved;
      return { key, prefix: `${JSON.stringify(key)}:`, write: this.compile(prop), hasDefault, defaultText: hasDefault ? JSON.stringify(resolved.default) : "" };
    });
    const extra = node.additionalProperties === undefined || node.additionalProperties === false ? null : this.compile(node.additionalProperties === true ? undefined : node.additionalProperties);
    const declared = new Set(fields.map((f) => f.key));
    const field = (value: unknown, raw: Record<string, unknown> | null, key: string, write: Writer, defaultText: string | null): string | typeof NONE => {
      if (value === undefined) return NONE;
      if (rules.excludeNone && value === null) return NONE;
      if (rules.excludeUnset && raw !== null && !Object.hasOwn(raw, key)) return NONE;
      const text = write(value, raw === null ? value : raw[key]);
      if (defaultText !== null && text === defaultText) return NONE;
      return text;
    };
    return (v, r) => {
      if (!isObject(v)) return "{}";
      const raw = isObject(r) ? r : null;
      let out = "{";
      let first = true;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        const text = field(v[f.key], raw, f.key, f.write, rules.excludeDefaults && f.hasDefault ? f.defaultText : null);
        if (text === NONE) continue;
        out += first ? f.prefix + text : `,${f.prefix}${text}`;
        first = false;
      }
      if (extra !== null) {
        for (const key of Object.keys(v)) {
          if (declared.has(key)) continue;
          const text = field(v[key], raw, key, extra, null);
          if (text === NONE) continue;
          out += `${first ? "" : ","}${JSON.stringify(key)}:${text}`;
          first = false;
        }
      }
      return out + "}";
    };
  }

  /** A union: `null` to its null member, objects to the member a discriminator or the required keys pick. */
  private union(members: readonly JsonSchema[]): Writer {
    const resolved = members.map((m) => resolveRef(m, this.root));
    const writers = members.map((m) => this.compile(m));
    const pick = (v: unknown): number => {
      for (let i = 0; i < resolved.length; i++) if (fits(resolved[i]!, v)) return i;
      return -1;
    };
    return (v, r) => {
      const i = pick(v);
      return i === -1 ? JSON.stringify(v) ?? "null" : writers[i]!(v, r);
    };
  }
}

function fits(node: JsonSchema, v: unknown): boolean {
  if ("const" in node) return node.const === v;
  if (Array.isArray(node.enum)) return node.enum.includes(v);
  switch (node.type) {
    case "null": return v === null;
    case "string": return typeof v === "string" || v instanceof Date;
    case "integer": return typeof v === "number" && Number.isInteger(v);
    case "number": return typeof v === "number";
    case "boolean": return typeof v === "boolean";
    case "array": return Array.isArray(v);
    case "object": {
      if (!isObject(v)) return false;
      for (const [key, prop] of Object.entries<JsonSchema>(node.properties ?? {})) {
        if (prop && ("const" in prop || Array.isArray(prop.enum)) && key in v && !fits(prop, v[key])) return false;
      }
      return (node.required ?? []).every((k: string) => k in v);
    }
    default: return node.properties ? fits({ ...node, type: "object" }, v) : true;
  }
}

/**
 * Compiles a response serializer that leaves out unset, `null` or default-valued fields at every
 * level, as FastAPI's `response_model_exclude_unset` / `_none` / `_defaults`. The rules are
 * compiled into a tree of writers, one per schema node, so a request does one pass that writes the
 * JSON (no copy of the object is filtered first); like fast-json-stringify it writes only
 * declared fields. `serialize(value, raw)` takes the validated value and the handler's own value
 * (`raw`), whose keys tell set from unset (validation fills in defaults).
 *
 * @example
 * ```ts
 * const { serialize } = compileExcludingSerializer(itemJsonSchema, { excludeUnset: true });
 * serialize({ name: "Foo", tax: 10.5, tags: [] }, { name: "Foo" }); // '{"name":"Foo"}'
 * ```
 */
export function compileExcludingSerializer(schema: JsonSchema, rules: ExcludeRules): { serialize: (value: unknown, raw?: unknown) => string } {
  const settled = { excludeUnset: rules.excludeUnset ?? false, excludeNone: rules.excludeNone ?? false, excludeDefaults: rules.excludeDefaults ?? false };
  const writer = new Compiler(schema, settled).compile(schema);
  return { serialize: (value, raw) => writer(value, raw === undefined ? value : raw) };
}

