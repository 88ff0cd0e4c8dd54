/**
 * FastAPI's response_model_exclude_unset / _none / _defaults and include / exclude, compiled into
 * the serializer: the same handler values give FastAPI's bodies (captured by
 * response-filter-reference.py into response-filter-cases.json).
 */
import { readFileSync } from "node:fs";
import fastJson from "fast-json-stringify";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { applyFieldSets, type FieldSet } from "../../src/serialize/field-sets.ts";
import { compileExcludingSerializer, type ExcludeRules } from "../../src/serialize/filtered-serializer.ts";
import { toJsonSchema, type JsonSchema } from "../../src/schema/json-schema.ts";

const fastapi = JSON.parse(readFileSync(new URL("./response-filter-cases.json", import.meta.url), "utf8")) as Record<string, unknown>;

const Owner = z.object({ name: z.string(), email: z.string().nullable().default(null), active: z.boolean().default(true) });
const Item = z.object({
  name: z.string(),
  description: z.string().nullable().default(null),
  price: z.number(),
  tax: z.number().default(10.5),
  tags: z.array(z.string()).default([]),
  owner: Owner.nullable().default(null),
});

const ITEMS: Record<string, unknown> = {
  foo: { name: "Foo", price: 50.2 },
  bar: { name: "Bar", description: "The bartenders", price: 62, tax: 20.2 },
  baz: { name: "Baz", description: null, price: 50.2, tax: 10.5, tags: [] },
  own: { name: "Own", price: 1, owner: { name: "Ada", email: null } },
  list: { name: "L", price: 2, tags: ["a"], owner: { name: "Bo", email: "bo@x.io", active: false } },
};

interface Options extends ExcludeRules {
  include?: FieldSet;
  exclude?: FieldSet;
}
const CASES: Record<string, Options> = {
  unset: { excludeUnset: true },
  none: { excludeNone: true },
  defaults: { excludeDefaults: true },
  include: { include: ["name", "owner"] },
  exclude: { exclude: ["tax", "tags"] },
  "nested-exclude": { exclude: { owner: { email: true } } },
  "unset-none": { excludeUnset: true, excludeNone: true },
};

/** What the route compiles: field sets into the schema, exclusion rules into the writer tree. */
function compile(schema: z.ZodType, options: Options): (value: unknown, raw: unknown) => string {
  const json = applyFieldSets(toJsonSchema(schema, "output")!, options.include, options.exclude, "GET /test");
  const rules = options.excludeUnset || options.excludeNone || options.excludeDefaults;
  if (rules) return compileExcludingSerializer(json, options).serialize;
  const { $schema: _s, ...rest } = json as JsonSchema;
  const fjs = fastJson(rest as Parameters<typeof fastJson>[0]);
  return (value) => fjs(value);
}

describe("response filtering matches FastAPI", () => {
  for (const [name, options] of Object.entries(CASES)) {
    it(name, () => {
      const one = compile(Item, options);
      for (const [id, raw] of Object.entries(ITEMS)) {
        const validated = Item.parse(raw);
        expect(JSON.parse(one(validated, raw)), `${name} ${id}`).toEqual(fastapi[`${name} ${id}`]);
      }
      const many = compile(z.array(Item), options);
      const raws = Object.values(ITEMS);
      const text = many(z.array(Item).parse(raws), raws);
      if (options.include === undefined && options.exclude === undefined) {
        expect(JSON.parse(text), `${name} all`).toEqual(fastapi[`${name} all`]);
      } else {
        // FastAPI applies include/exclude to a list's indices (an include then empties it); Velox
        // applies them to every item, as the single-item answers.
        expect(JSON.parse(text)).toEqual(Object.keys(ITEMS).map((id) => fastapi[`${name} ${id}`]));
      }
    });
  }
});

describe("field sets", () => {
  const json = toJsonSchema(Item, "output")!;
  it("refuses a field the model does not have (a typo would keep the field)", () => {
    expect(() => applyFieldSets(json, undefined, ["password"], "GET /items")).toThrow(/GET \/items: the response model has no field "password"/);
    expect(() => applyFieldSets(json, undefined, { owner: { mail: true } }, "GET /items")).toThrow(/no field "mail"/);
    expect(() => applyFieldSets(json, undefined, { owner: 1 } as never, "GET /items")).toThrow(/must be true or a nested field set/);
  });

  it("drops excluded fields from required, so the serializer does not demand them", () => {
    const out = applyFieldSets(json, undefined, ["name"], "x");
    expect(out.required).not.toContain("name");
    expect(Object.keys(out.properties)).not.toContain("name");
    expect(applyFieldSets(json, undefined, undefined, "x")).toBe(json);
  });

  it("applies a tree to every item of a list field and through $ref", () => {
    const Tag = z.object({ id: z.int(), label: z.string(), secret: z.string() }).meta({ id: "Tag" });
    const Post = z.object({ title: z.string(), tags: z.array(Tag), main: Tag });
    const out = applyFieldSets(toJsonSchema(Post, "output")!, undefined, { tags: { __all__: { secret: true } }, main: { secret: true } } as FieldSet, "x");
    const fjs = fastJson(out as Parameters<typeof fastJson>[0]);
    const text = fjs({ title: "t", tags: [{ id: 1, label: "a", secret: "s" }], main: { id: 2, label: "b", secret: "s" } });
    expect(JSON.parse(text)).toEqual({ title: "t", tags: [{ id: 1, label: "a" }], main: { id: 2, label: "b" } });
  });
});

describe("the excluding serializer", () => {
  it("writes dates, numbers and strings as fast-json-stringify does, and only declared fields", () => {
    const Event = z.object({ at: z.iso.datetime(), day: z.iso.date(), count: z.int(), ratio: z.number(), note: z.string().nullable() });
    const { serialize } = compileExcludingSerializer(toJsonSchema(Event, "output")!, { excludeNone: true });
    const value = { at: new Date(0), day: new Date(86_400_000), count: 3, ratio: Number.NaN, note: null, extra: "leak" };
    expect(serialize(value)).toBe('{"at":"1970-01-01T00:00:00.000Z","day":"1970-01-02","count":3,"ratio":null}');
  });

  it("handles recursive models and records", () => {
    type Node = { name: string; parent?: Node | null; meta: Record<string, string | null> };
    const NodeSchema: z.ZodType<Node> = z.lazy(() => z.object({ name: z.string(), parent: NodeSchema.nullable().optional(), meta: z.record(z.string(), z.string().nullable()) }));
    const { serialize } = compileExcludingSerializer(toJsonSchema(NodeSchema, "output")!, { excludeNone: true });
    const text = serialize({ name: "c", parent: { name: "p", parent: null, meta: { a: null, b: "x" } }, meta: {} });
    expect(JSON.parse(text)).toEqual({ name: "c", parent: { name: "p", meta: { b: "x" } }, meta: {} });
  });

  it("picks a discriminated union member per value", () => {
    const Shape = z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("circle"), r: z.number(), label: z.string().nullable() }),
      z.object({ kind: z.literal("square"), side: z.number(), label: z.string().nullable() }),
    ]);
    const { serialize } = compileExcludingSerializer(toJsonSchema(z.array(Shape), "output")!, { excludeNone: true });
    expect(JSON.parse(serialize([{ kind: "square", side: 2, label: null, r: 9 }, { kind: "circle", r: 1, label: "c" }]))).toEqual([
      { kind: "square", side: 2 },
      { kind: "circle", r: 1, label: "c" },
    ]);
  });
});

describe("response filtering on routes", () => {
  it("applies responseExcludeUnset / None / Include / Exclude through the app, with the handler's own value telling set from unset", async () => {
    const { Velox } = await import("../../src/index.ts");
    const { TestClient } = await import("../../src/testing/index.ts");
    const app = new Velox({ logger: false });
    app.get("/unset/{id}", { path: { id: z.string() }, response: Item, responseExcludeUnset: true }, ({ path }) => ITEMS[path.id] as never);
    app.get("/none/{id}", { path: { id: z.string() }, response: Item, responseExcludeNone: true }, ({ path }) => ITEMS[path.id] as never);
    app.get("/include/{id}", { path: { id: z.string() }, response: Item, responseInclude: ["name", "owner"] }, ({ path }) => ITEMS[path.id] as never);
    app.get("/nested-exclude/{id}", { path: { id: z.string() }, response: Item, responseExclude: { owner: { email: true } }, validateResponse: false }, ({ path }) => Item.parse(ITEMS[path.id]));
    const client = new TestClient(app);
    for (const name of ["unset", "none", "include", "nested-exclude"]) {
      for (const id of Object.keys(ITEMS)) {
        const res = await client.get(`/${name}/${id}`);
        expect(res.json(), `${name} ${id}`).toEqual(fastapi[`${name} ${id}`]);
      }
    }
    await client.close();
  });

  it("refuses filtering without a response model and unknown fields at registration", async () => {
    const { Velox } = await import("../../src/index.ts");
    const a = new Velox({ logger: false });
    a.get("/x", { responseExcludeNone: true }, () => ({}));
    await expect(a.ready()).rejects.toThrow(/response filtering options need a "response" model/);
    const b = new Velox({ logger: false });
    b.get("/x", { response: Item, responseExclude: ["nope"] }, () => ({}) as never);
    await expect(b.ready()).rejects.toThrow(/no field "nope"/);
  });
});
