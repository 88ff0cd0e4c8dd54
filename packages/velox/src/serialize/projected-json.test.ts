import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toJsonSchema, type JsonSchema } from "../schema/json-schema.ts";
import { projectedJsonSerializer } from "./projected-json.ts";
import { compileJsonSerializer } from "./serializer.ts";

const schemaOf = (s: z.ZodType) => toJsonSchema(s as never, "output") as JsonSchema;

const User = z.object({
  id: z.int(), username: z.string(), email: z.string(), age: z.int(), active: z.boolean(),
  fields: z.string().nullable(), role: z.enum(["admin", "user"]), nick: z.string().optional(),
});
const Item = z.object({
  name: z.string(), price: z.number(), tags: z.array(z.string()),
  dimensions: z.object({ width: z.number(), height: z.number() }),
  parts: z.array(z.object({ sku: z.string(), count: z.int() })),
});

describe("projectedJsonSerializer", () => {
  it("writes the same text as fast-json-stringify for validated values, undeclared keys dropped", () => {
    const cases: [JsonSchema, unknown][] = [
      [schemaOf(User), { id: 1, username: 'a"b\\c', email: "x\u0001y", age: -0, active: false, fields: null, role: "admin", password: "secret" }],
      [schemaOf(User), { password: "secret", nick: "\ud83d\ude00 and a lone \ud800", role: "user", fields: "f", active: true, age: 2 ** 60, email: "e", username: "u", id: 7 }],
      [schemaOf(Item), { name: "n", price: 1.5e-7, tags: ["a", "b"], dimensions: { width: 1, height: 2, depth: 3 }, parts: [{ sku: "S", count: 1, secret: 1 }], extra: true }],
      [schemaOf(z.array(User)), [{ id: 1, username: "u", email: "e", age: 1, active: true, fields: null, role: "admin", token: "t" }]],
      [schemaOf(z.string()), "plain"],
    ];
    for (const [schema, value] of cases) {
      const projected = projectedJsonSerializer(schema);
      expect(projected).not.toBeNull();
      expect(projected!(value)).toBe(compileJsonSerializer(schema)(value));
    }
    expect(projectedJsonSerializer(schemaOf(User))!({ id: 1, password: "secret" })).not.toContain("secret");
  });

  it("leaves open objects, references and object combinators to fast-json-stringify", () => {
    expect(projectedJsonSerializer(schemaOf(z.looseObject({ a: z.string() })))).toBeNull();
    expect(projectedJsonSerializer(schemaOf(z.record(z.string(), z.int())))).toBeNull();
    expect(projectedJsonSerializer(schemaOf(z.union([z.object({ a: z.string() }), z.object({ b: z.int() })])))).toBeNull();
    expect(projectedJsonSerializer({ $ref: "#/$defs/A", $defs: { A: { type: "string" } } })).toBeNull();
    expect(projectedJsonSerializer(schemaOf(z.tuple([z.string(), z.int()])))).toBeNull();
  });
});
