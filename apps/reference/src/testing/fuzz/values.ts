import fc from "fast-check";
import { deref, type OpenAPIDoc, type Schema } from "./openapi-operations.ts";

const SAFE = Number.MAX_SAFE_INTEGER;
const NUL_GUARD = "^[^\\u0000]*$";

/** Strings no schema should let through unchecked: NUL, lone surrogates, controls, odd Unicode. */
export const HOSTILE_STRINGS: readonly string[] = [
  "",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\udc00\ud800",
  "\ufeff",
  "\uffff",
  "\u{10ffff}",
  "\u202eevil",
  "\u200b\u200d",
  "e\u0301\u0301\u0301",
  "😀".repeat(150),
  "\r\n",
  "\t",
  "' OR 1=1 --",
  "%00",
  "%s%n%x",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "\\",
  "１２３",
  " 1",
  "1e3",
  "0x10",
  "-0",
  "NaN",
  "Infinity",
];

/** Numbers at and past every boundary a column or a JSON parser has. */
export const BOUNDARY_NUMBERS: readonly number[] = [
  0, -0, 1, -1, 0.5, -0.5, 1.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e21, 1e308, -1e308, 5e-324,
];

/** A huge string: far past every `maxLength`, below the body limit. */
const huge = fc.constantFrom("a".repeat(70_000), "\u0000".repeat(1000), "😀".repeat(20_000), "\ud800".repeat(5_000));

/** Code units chosen to hit encoders: ASCII, BMP, astral (surrogate pairs), lone surrogates. */
const oddUnit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)) },
  { weight: 1, arbitrary: fc.constantFrom("\u202e", "\u200b", "\ufeff", "\u0301", "\uffff", "é", "ß", "İ") },
);

/**
 * A string with any code units at all — NUL, lone surrogates, astral characters — for hostile
 * inputs.
 *
 * @example
 * ```ts
 * fc.sample(anyString, 3);
 * ```
 */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: oddUnit, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: huge },
);

/**
 * A JSON value of any shape, weighted to the ones that break validators: boundary numbers,
 * hostile strings, `null`, empty and nested containers.
 *
 * @example
 * ```ts
 * const body = fc.sample(hostileValue, 1)[0];
 * ```
 */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: anyString },
  { weight: 3, arbitrary: fc.constantFrom(...BOUNDARY_NUMBERS) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { "": "" }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

function integerArb(schema: Schema): fc.Arbitrary<number> {
  const min = Math.max(schema.minimum ?? -SAFE, schema.exclusiveMinimum === undefined ? -SAFE : schema.exclusiveMinimum + 1);
  const max = Math.min(schema.maximum ?? SAFE, schema.exclusiveMaximum === undefined ? SAFE : schema.exclusiveMaximum - 1);
  const edges = [min, max, min + 1, max - 1].filter((n) => n >= min && n <= max);
  // Small values find existing rows (ids, pages); the edges find the columns' limits.
  const near = fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, Math.max(min, -(2 ** 31)) + 60) });
  const wide = fc.maxSafeInteger().filter((n) => n >= min && n <= max);
  return fc.oneof({ weight: 5, arbitrary: near }, { weight: 2, arbitrary: fc.constantFrom(...edges) }, { weight: 1, arbitrary: wide });
}

function numberArb(schema: Schema): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1e308;
  const max = schema.maximum ?? 1e308;
  const edges = [min, max, 0, 1, 0.1, 5e-324].filter((n) => n >= min && n <= max);
  return fc.oneof(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...edges));
}

function stringArb(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? 300;
  const fits = (s: string) => s.length >= minLength && s.length <= maxLength;
  if (schema.format === "email") {
    return fc.tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.constantFrom("example.com", "exämple.org", "x.io")).map(([local, domain]) => `${local}@${domain}`);
  }
  if (schema.format === "date-time") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  const patterns = [schema.pattern, ...(schema.allOf ?? []).map((s) => s.pattern)].filter((p): p is string => typeof p === "string" && p !== NUL_GUARD);
  if (patterns.length > 0) {
    const [first, ...rest] = patterns.map((p) => new RegExp(p, "u"));
    return fc.stringMatching(first!).filter((s) => fits(s) && rest.every((r) => r.test(s)));
  }
  const allowsNul = !(schema.pattern === NUL_GUARD || (schema.allOf ?? []).some((s) => s.pattern === NUL_GUARD));
  const unit = allowsNul ? oddUnit : oddUnit.filter((u) => u !== "\u0000");
  const cap = Math.min(maxLength, 200);
  const edges = [
    "x".repeat(minLength),
    "x".repeat(maxLength),
    "é".repeat(maxLength),
    "😀".repeat(Math.floor(maxLength / 2)),
    "\ud800".repeat(Math.max(minLength, 1)),
  ].filter(fits);
  return fc.oneof({ weight: 4, arbitrary: fc.string({ unit, minLength, maxLength: Math.max(minLength, cap) }).filter(fits) }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
}

/**
 * Values the schema accepts: every branch of `anyOf`, integers near and at their bounds,
 * strings of odd Unicode up to `maxLength`, objects with and without their optional keys.
 *
 * @example
 * ```ts
 * const item = fc.sample(validValue(doc, doc.components.schemas.ItemCreate), 1)[0];
 * ```
 */
export function validValue(doc: OpenAPIDoc, input: Schema): fc.Arbitrary<unknown> {
  const schema = deref(doc, input);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches !== undefined) return fc.oneof(...branches.map((b) => validValue(doc, b)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return integerArb(schema);
    case "number":
      return numberArb(schema);
    case "string":
      return stringArb(schema);
    case "array":
      return fc.array(validValue(doc, schema.items ?? {}), { maxLength: 4 });
    case "object": {
      const shape = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, validValue(doc, v)]));
      return fc.record(shape, { requiredKeys: schema.required ?? [] });
    }
    default:
      return hostileValue;
  }
}

/**
 * Values derived from a valid one that the schema should refuse (or at least survive): one
 * property replaced by a hostile value, an extra property, a required one missing, or another
 * type altogether.
 *
 * @example
 * ```ts
 * const body = fc.sample(invalidValue(doc, ItemCreate), 1)[0];
 * ```
 */
export function invalidValue(doc: OpenAPIDoc, input: Schema): fc.Arbitrary<unknown> {
  const schema = deref(doc, input);
  const keys = Object.keys(schema.properties ?? {});
  if (schema.type !== "object" || keys.length === 0) return hostileValue;
  const valid = validValue(doc, schema) as fc.Arbitrary<Record<string, unknown>>;
  const required = schema.required ?? [];
  const strategies: fc.Arbitrary<unknown>[] = [
    fc.tuple(valid, fc.constantFrom(...keys), hostileValue).map(([v, k, bad]) => ({ ...v, [k]: bad })),
    fc.tuple(valid, fc.constantFrom("extra", "id", "owner_id", "is_superuser", "views"), hostileValue).map(([v, k, bad]) => ({ ...v, [k]: bad })),
    hostileValue,
  ];
  if (required.length > 0) {
    strategies.push(
      fc.tuple(valid, fc.constantFrom(...required)).map(([v, k]) => {
        const copy = { ...v };
        delete copy[k];
        return copy;
      }),
    );
  }
  return fc.oneof(...strategies);
}

/** Bodies that are not JSON at all, or JSON that breaks parsers. */
export const brokenJsonText: fc.Arbitrary<string> = fc.constantFrom(
  "",
  "{",
  '{"a":',
  "\u0000",
  "1e400",
  "[".repeat(100) + "]".repeat(100),
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"title":"\\ud800","price":1}',
  '{"title":"a\\u0000b","price":1}',
  '{"title":"x","title":"y","price":1}',
  "null",
  '"string"',
  "NaN",
);
