import { resolveRef, type JsonSchema } from "./json-schema.ts";

/**
 * Pydantic v2's lax mode for JSON input, as a conversion compiled from a JSON Schema: what a
 * FastAPI app accepts where the JSON type differs from the declared one. Pinned against Pydantic
 * 2.13 in test/compat/lax-cases.json:
 *
 * | declared | also accepts (lax) | still refused |
 * |---|---|---|
 * | integer | `true`/`false` → 1/0; strings of an integer with optional sign, surrounding whitespace, `_` between digits and a `.0…` tail (`" +1_000.00 "` → 1000) | fractions (`5.5`, `"5.5"`), `"1e3"`, `"0x10"`, `"inf"`, `""` |
 * | number | `true`/`false` → 1/0; strings of a decimal number with whitespace, sign, exponent, `_` between digits (`"5.4"`, `".5"`, `"5."`, `"1e3"`) | `"0x10"`, `"abc"`, `""` |
 * | boolean | 0/1 (incl. `0.0`/`1.0`); strings `true/false/yes/no/on/off/t/f/y/n/1/0` in any case | other numbers, padded strings (`" true "`) |
 * | date-time | a Unix timestamp as a number or a numeric string, in seconds, or in milliseconds above 2·10¹⁰ → ISO 8601 UTC | padded strings, exponents |
 * | string, null, array, object | nothing: no number → string, no `"null"` → null, no string → list | |
 * | const / enum | a boolean for a numeric literal (`true` for `Literal[1]`) | strings for numbers (`"1"` for `Literal[1]`) |
 * | anyOf / oneOf / type lists | Pydantic's smart mode: a member the value already is wins (`"5"` stays a string for `int \| str`); otherwise the first member the value converts to, in order | |
 *
 * Where Velox stays stricter than Pydantic: non-finite numbers (`1e400`, `"inf"`, `"nan"`) and
 * integers beyond ±2⁵³−1 are refused (JSON numbers in JavaScript are doubles; Velox never rounds
 * an integer silently), and Pydantic's acceptance of `"+_1"` as a float is not copied.
 */
export type LaxCoercer = (value: unknown) => unknown;

/** Unicode White_Space, which Pydantic (Rust's `str::trim`) strips around numbers. */
const WS = /^[\p{White_Space}]+|[\p{White_Space}]+$/gu;
const INTEGER = /^[+-]?\d(?:_?\d)*(?:\.0+)?$/;
const DIGITS = String.raw`\d(?:_?\d)*`;
const FLOAT = new RegExp(String.raw`^[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);
const TIMESTAMP = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const TRUE = new Set(["true", "yes", "on", "t", "y", "1"]);
const FALSE = new Set(["false", "no", "off", "f", "n", "0"]);
/** Pydantic reads a timestamp above this as milliseconds. */
const MS_WATERSHED = 2e10;
const MAX_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
const MIN_MS = -62_135_596_800_000; // 0001-01-01T00:00:00Z

function toInteger(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value !== "string") return value;
  const text = value.replace(WS, "");
  if (!INTEGER.test(text)) return value;
  const dot = text.indexOf(".");
  const n = Number((dot === -1 ? text : text.slice(0, dot)).replace(/_/g, ""));
  return Number.isSafeInteger(n) ? (n === 0 ? 0 : n) : value;
}

function toNumber(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value !== "string") return value;
  const text = value.replace(WS, "");
  if (!FLOAT.test(text)) return value;
  const n = Number(text.replace(/_/g, ""));
  return Number.isFinite(n) ? n : value;
}

function toBoolean(value: unknown): unknown {
  if (typeof value === "number") return value === 1 ? true : value === 0 ? false : value;
  if (typeof value !== "string") return value;
  const lower = value.toLowerCase();
  return TRUE.has(lower) ? true : FALSE.has(lower) ? false : value;
}

function toDateTime(value: unknown): unknown {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "string" && TIMESTAMP.test(value)) n = Number(value);
  else return value;
  if (!Number.isFinite(n)) return value;
  const ms = Math.abs(n) > MS_WATERSHED ? n : n * 1000;
  if (ms > MAX_MS || ms < MIN_MS) return value;
  return new Date(Math.round(ms)).toISOString();
}

/** Whether a value already is of the member's JSON type (Pydantic's strict pass of a smart union). */
function strictly(node: JsonSchema, value: unknown): boolean {
  if ("const" in node) return node.const === value;
  if (Array.isArray(node.enum)) return node.enum.includes(value);
  const types: unknown = node.type;
  if (Array.isArray(types)) return types.some((t) => strictly({ type: t }, value));
  switch (types) {
    case "integer": return typeof value === "number" && Number.isInteger(value);
    case "number": return typeof value === "number";
    case "boolean": return typeof value === "boolean";
    case "string": return typeof value === "string";
    case "null": return value === null;
    case "array": return Array.isArray(value);
    case "object": return typeof value === "object" && value !== null && !Array.isArray(value) && discriminatorsMatch(node, value as Record<string, unknown>);
    default: return false;
  }
}

/** For object members of a union: their literal-valued properties (a discriminator) must match. */
function discriminatorsMatch(node: JsonSchema, value: Record<string, unknown>): boolean {
  for (const [key, prop] of Object.entries<JsonSchema>(node.properties ?? {})) {
    if (prop && typeof prop === "object" && ("const" in prop || Array.isArray(prop.enum)) && key in value && !strictly(prop, value[key])) return false;
  }
  for (const key of node.required ?? []) if (!(key in value)) return false;
  return true;
}

class Compiler {
  private readonly refs = new Map<string, { fn: LaxCoercer | null; done: boolean }>();
  constructor(private readonly root: JsonSchema) {}

  /** The coercer of a node, or null when the node takes every value as it is. */
  compile(schema: JsonSchema | boolean | undefined): LaxCoercer | null {
    if (schema === undefined || typeof schema === "boolean") return null;
    if (typeof schema.$ref === "string") return this.ref(schema.$ref, schema);
    const node = schema;
    if (Array.isArray(node.anyOf) || Array.isArray(node.oneOf)) return this.union(node.anyOf ?? node.oneOf);
    if (Array.isArray(node.allOf)) return this.sequence(node.allOf);
    if ("const" in node || Array.isArray(node.enum)) return literal(node);
    if (Array.isArray(node.type)) return this.union(node.type.map((t: string) => ({ ...node, type: t })));
    switch (node.type) {
      case "integer": return toInteger;
      case "number": return toNumber;
      case "boolean": return toBoolean;
      case "string": return node.format === "date-time" ? toDateTime : null;
      case "array": return this.array(node);
      case "object": return this.object(node);
      default: return node.properties ? this.object(node) : null;
    }
  }

  private ref(ref: string, node: JsonSchema): LaxCoercer | null {
    const known = this.refs.get(ref);
    if (known?.done) return known.fn;
    // A recursive model: refer to the coercer being built, through a slot filled below.
    if (known) return (value) => (known.fn === null ? value : known.fn(value));
    const slot = { fn: null as LaxCoercer | null, done: false };
    this.refs.set(ref, slot);
    const target = ref === "#" ? this.root : resolveRef(node, this.root);
    slot.fn = target === node ? null : this.compile(target);
    slot.done = true;
    return slot.fn;
  }

  private union(members: readonly JsonSchema[]): LaxCoercer | null {
    const resolved = members.map((m) => resolveRef(m, this.root));
    const coercers = members.map((m) => this.compile(m));
    if (coercers.every((c) => c === null)) return null;
    return (value) => {
      for (let i = 0; i < resolved.length; i++) {
        if (strictly(resolved[i]!, value)) return coercers[i] === null ? value : coercers[i]!(value);
      }
      for (let i = 0; i < resolved.length; i++) {
        const coerce = coercers[i];
        if (coerce === null || coerce === undefined) continue;
        const out = coerce(value);
        if (out !== value && strictly(resolved[i]!, out)) return out;
      }
      return value;
    };
  }

  private sequence(members: readonly JsonSchema[]): LaxCoercer | null {
    const coercers = members.map((m) => this.compile(m)).filter((c): c is LaxCoercer => c !== null);
    if (coercers.length === 0) return null;
    if (coercers.length === 1) return coercers[0]!;
    return (value) => coercers.reduce((v, c) => c(v), value);
  }

  private array(node: JsonSchema): LaxCoercer | null {
    const prefix = Array.isArray(node.prefixItems) ? node.prefixItems.map((p: JsonSchema) => this.compile(p)) : [];
    const items = this.compile(node.items);
    if (items === null && prefix.every((p: LaxCoercer | null) => p === null)) return null;
    return (value) => {
      if (!Array.isArray(value)) return value;
      let out: unknown[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const coerce = i < prefix.length ? prefix[i] : items;
        if (!coerce) continue;
        const next = coerce(value[i]);
        if (next !== value[i]) (out ??= value.slice())[i] = next;
      }
      return out ?? value;
    };
  }

  private object(node: JsonSchema): LaxCoercer | null {
    const props: [string, LaxCoercer][] = [];
    for (const [key, prop] of Object.entries<JsonSchema>(node.properties ?? {})) {
      const coerce = this.compile(prop);
      if (coerce !== null) props.push([key, coerce]);
    }
    const extra = typeof node.additionalProperties === "object" ? this.compile(node.additionalProperties) : null;
    const declared = new Set(Object.keys(node.properties ?? {}));
    if (props.length === 0 && extra === null) return null;
    return (value) => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
      const source = value as Record<string, unknown>;
      let out: Record<string, unknown> | null = null;
      for (const [key, coerce] of props) {
        if (!Object.hasOwn(source, key)) continue;
        const next = coerce(source[key]);
        if (next !== source[key]) (out ??= { ...source })[key] = next;
      }
      if (extra !== null) {
        for (const key of Object.keys(source)) {
          if (declared.has(key)) continue;
          const next = extra(source[key]);
          if (next !== source[key]) (out ??= { ...source })[key] = next;
        }
      }
      return out ?? value;
    };
  }
}

/** `Literal[1]` takes `true` (Pydantic compares 1 == True) but never the string `"1"`. */
function literal(node: JsonSchema): LaxCoercer | null {
  const values: unknown[] = "const" in node ? [node.const] : node.enum;
  const numbers = values.filter((v) => typeof v === "number");
  if (numbers.length === 0) return null;
  return (value) => {
    if (typeof value !== "boolean" || values.includes(value)) return value;
    const n = value ? 1 : 0;
    return numbers.includes(n) ? n : value;
  };
}

/**
 * Compiles the lax-mode conversion of a JSON body from its input JSON Schema, once per route.
 * The coercer returns the value itself when nothing needed converting, and copies only the
 * objects and arrays on the way to a converted value (the parsed body is never mutated, so error
 * messages can echo what the client sent).
 *
 * @example
 * ```ts
 * const coerce = compileLaxCoercer({ type: "object", properties: { price: { type: "number" }, tags: { type: "array", items: { type: "integer" } } } });
 * coerce({ price: "5.4", tags: ["1", 2] }); // { price: 5.4, tags: [1, 2] }
 * ```
 */
export function compileLaxCoercer(schema: JsonSchema | undefined): LaxCoercer | null {
  if (schema === undefined) return null;
  return new Compiler(schema).compile(schema);
}

/**
 * The value the client sent at `path` of a body that lax mode converted: errors about a
 * converted value report the original input, as Pydantic's do (`"5"` failing `ge=10`).
 *
 * @example
 * ```ts
 * originalAt({ item: { price: "5" } }, ["item", "price"]); // "5"
 * ```
 */
export function originalAt(body: unknown, path: readonly (string | number)[]): unknown {
  let current = body;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
