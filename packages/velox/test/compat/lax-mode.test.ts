/**
 * Lax mode against Pydantic itself: every (declared type, JSON input) pair Pydantic 2.13 was
 * asked in pydantic-lax-probe.py, run through Velox's lax conversion and a Zod schema of the same
 * type, must give the same value or the same error type — except the documented deviations.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compileLaxCoercer } from "../../src/schema/lax.ts";
import { toJsonSchema } from "../../src/schema/json-schema.ts";
import { compileValidator } from "../../src/schema/validator.ts";
import type { AnySchema } from "../../src/schema/types.ts";

interface Case { target: string; input: string; ok?: unknown; error?: string }
const pinned = JSON.parse(readFileSync(new URL("./lax-cases.json", import.meta.url), "utf8")) as { pydantic: string; cases: Case[] };

const SCHEMAS: Record<string, AnySchema> = {
  integer: z.int(),
  number: z.number(),
  boolean: z.boolean(),
  string: z.string(),
  null: z.null(),
  "integer|null": z.int().nullable(),
  "number|null": z.number().nullable(),
  "integer|string": z.union([z.int(), z.string()]),
  "array<integer>": z.array(z.int()),
  "date-time": z.iso.datetime({ offset: true }),
};

/** Where Velox stays stricter than Pydantic, on purpose (see the table in src/schema/lax.ts). */
const DEVIATIONS = new Set([
  // JSON numbers are doubles: integers past 2^53 and non-finite numbers are refused, never rounded.
  ...["integer", "integer|null", "integer|string"].flatMap((t) => [`${t} 9007199254740993`, `${t} 100000000000000000000000`, `${t} 1e400`]),
  ...["number", "number|null"].flatMap((t) => [`${t} 1e400`, `${t} "inf"`, `${t} "-inf"`, `${t} "nan"`, `${t} "Infinity"`]),
  // Dates as strings are the validator's to accept: Zod's ISO datetime wants an offset.
  `date-time "2024-01-02"`, `date-time "2024-01-02 03:04:05"`,
  // 1e400 parses to Infinity in JavaScript; Pydantic reports datetime_parsing, Velox float-ish input errors.
  `date-time 1e400`, `date-time 100000000000000000000000`, `date-time 9007199254740993`,
  // 1e23 is an integral double in JavaScript: bool_parsing, where Pydantic sees a float (bool_type).
  "boolean 100000000000000000000000",
]);

function sameInstant(a: unknown, b: unknown): boolean {
  return typeof a === "string" && typeof b === "string" && Date.parse(a) === Date.parse(b);
}

describe(`lax mode matches Pydantic ${pinned.pydantic}`, () => {
  const cases = pinned.cases.filter((c) => c.target in SCHEMAS);
  it("covers the table", () => {
    expect(cases.length).toBeGreaterThan(600);
  });

  it.each(cases.map((c) => [`${c.target} ${c.input}`, c] as const))("%s", async (_name, c) => {
    const schema = SCHEMAS[c.target]!;
    const coerce = compileLaxCoercer(toJsonSchema(schema, "input"));
    const input = JSON.parse(c.input);
    const converted = coerce === null ? input : coerce(input);
    const checked = await compileValidator(schema, false)(converted, ["body"]);
    const key = `${c.target} ${c.input}`;
    if (DEVIATIONS.has(key)) return;
    if (c.error !== undefined) {
      expect(checked.errors, `${key} should fail like Pydantic (${c.error})`).not.toBeNull();
      // A union's error lists per-member errors in Pydantic; Velox reports the closest member (see errors.md).
      if (c.target !== "date-time" && !c.target.includes("|string")) expect(checked.errors![0]!.type).toBe(c.error);
      return;
    }
    expect(checked.errors, `${key} should pass like Pydantic`).toBeNull();
    if (c.target === "date-time") expect(sameInstant(checked.value, c.ok), `${String(checked.value)} vs ${String(c.ok)}`).toBe(true);
    // JSON text compares -0 with 0, as the wire does.
    else expect(JSON.stringify(checked.value)).toBe(JSON.stringify(c.ok));
  });
});

describe("lax conversion", () => {
  it("converts nested objects, arrays, records and recursive models without touching the input", () => {
    const Node: z.ZodType<{ value: number; children: unknown[] }> = z.lazy(() => z.object({ value: z.number(), children: z.array(Node) }));
    const Body = z.object({ tree: Node, counts: z.record(z.string(), z.int()), flag: z.boolean().optional(), name: z.string() });
    const coerce = compileLaxCoercer(toJsonSchema(Body, "input"))!;
    const input = { tree: { value: "1.5", children: [{ value: "2", children: [] }] }, counts: { a: "3" }, flag: "yes", name: "5" };
    const frozen = JSON.stringify(input);
    expect(coerce(input)).toEqual({ tree: { value: 1.5, children: [{ value: 2, children: [] }] }, counts: { a: 3 }, flag: true, name: "5" });
    expect(JSON.stringify(input)).toBe(frozen);
    const untouched = { tree: { value: 1, children: [] }, counts: {}, name: "x" };
    expect(coerce(untouched)).toBe(untouched);
  });

  it("picks the union member a discriminator names", () => {
    const Shape = z.discriminatedUnion("kind", [z.object({ kind: z.literal("circle"), r: z.number() }), z.object({ kind: z.literal("square"), side: z.int() })]);
    const coerce = compileLaxCoercer(toJsonSchema(Shape, "input"))!;
    expect(coerce({ kind: "square", side: "4" })).toEqual({ kind: "square", side: 4 });
    expect(coerce({ kind: "circle", r: "1.5" })).toEqual({ kind: "circle", r: 1.5 });
  });

  it("gives literals Pydantic's treatment: true for 1, never \"1\"", () => {
    const coerce = compileLaxCoercer(toJsonSchema(z.literal(1), "input"))!;
    expect(coerce(true)).toBe(1);
    expect(coerce("1")).toBe("1");
    expect(compileLaxCoercer(toJsonSchema(z.string(), "input"))).toBeNull();
  });
});
