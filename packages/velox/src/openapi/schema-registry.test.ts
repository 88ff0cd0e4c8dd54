import { describe, expect, it } from "vitest";
import { z } from "zod";
import { SchemaRegistry } from "./schema-registry.ts";

const registry = (separate = true) => new SchemaRegistry({ separateInputOutputSchemas: separate });

describe("SchemaRegistry", () => {
  it("hoists schemas with an id into components and refers to them", () => {
    const Tag = z.object({ name: z.string() }).meta({ id: "Tag" });
    const Item = z.object({ tags: z.array(Tag) }).meta({ id: "Item" });
    const r = registry();
    const doc = { body: r.use(Item, "input"), list: r.use(z.array(Item), "output") };
    const schemas = r.finish(doc);
    expect(doc.body).toEqual({ $ref: "#/components/schemas/Item" });
    expect(doc.list).toEqual({ type: "array", items: { $ref: "#/components/schemas/Item" } });
    expect(Object.keys(schemas)).toEqual(["Item", "Tag"]);
    expect(schemas.Item!.properties.tags.items).toEqual({ $ref: "#/components/schemas/Tag" });
    expect(JSON.stringify(schemas)).not.toContain("$defs");
    expect(JSON.stringify(schemas)).not.toContain("$schema");
  });

  it("keeps one component when the input and output forms differ only by Zod's closed output objects", () => {
    const Item = z.object({ name: z.string() }).meta({ id: "Item" });
    const r = registry();
    const doc = [r.use(Item, "input"), r.use(Item, "output")];
    expect(Object.keys(r.finish(doc))).toEqual(["Item"]);
  });

  it("splits Name-Input and Name-Output when the forms differ, and so does every model using them", () => {
    const Tag = z.object({ name: z.string(), weight: z.number().default(1) }).meta({ id: "Tag" });
    const Item = z.object({ tag: Tag }).meta({ id: "Item" });
    const Plain = z.object({ n: z.string() }).meta({ id: "Plain" });
    const r = registry();
    const doc = { in: r.use(Item, "input"), out: r.use(Item, "output"), p: [r.use(Plain, "input"), r.use(Plain, "output")] };
    const schemas = r.finish(doc);
    expect(Object.keys(schemas)).toEqual(["Item-Input", "Item-Output", "Plain", "Tag-Input", "Tag-Output"]);
    expect(doc.in).toEqual({ $ref: "#/components/schemas/Item-Input" });
    expect(doc.out).toEqual({ $ref: "#/components/schemas/Item-Output" });
    expect(schemas["Item-Output"]!.properties.tag).toEqual({ $ref: "#/components/schemas/Tag-Output" });
    expect(schemas["Tag-Input"]!.required).toEqual(["name"]);
    expect(schemas["Tag-Output"]!.required).toEqual(["name", "weight"]);
  });

  it("does not split a model used in one direction only", () => {
    const Tag = z.object({ weight: z.number().default(1) }).meta({ id: "Tag" });
    const r = registry();
    const doc = r.use(Tag, "output");
    expect(Object.keys(r.finish(doc))).toEqual(["Tag"]);
  });

  it("documents everything in input form with separateInputOutputSchemas: false", () => {
    const Tag = z.object({ weight: z.number().default(1) }).meta({ id: "Tag" });
    const r = registry(false);
    const doc = [r.use(Tag, "input"), r.use(Tag, "output")];
    const schemas = r.finish(doc);
    expect(Object.keys(schemas)).toEqual(["Tag"]);
    expect(schemas.Tag!.required).toBeUndefined();
  });

  it("numbers a second, different schema that claims the same id", () => {
    const A = z.object({ a: z.string() }).meta({ id: "Thing" });
    const B = z.object({ b: z.string() }).meta({ id: "Thing" });
    const r = registry();
    const doc = [r.use(A, "input"), r.use(B, "input")];
    const schemas = r.finish(doc);
    expect(doc).toEqual([{ $ref: "#/components/schemas/Thing" }, { $ref: "#/components/schemas/Thing2" }]);
    expect(Object.keys(schemas.Thing2!.properties)).toEqual(["b"]);
  });

  it("turns an anonymous recursive schema into a component named by the hint", () => {
    interface Node { children: Node[] }
    const Node: z.ZodType<Node> = z.object({ get children() { return z.array(Node); } });
    const r = registry();
    const doc = r.use(Node, "input", "Body_saveTree");
    const schemas = r.finish(doc);
    expect(doc).toEqual({ $ref: "#/components/schemas/Body_saveTree" });
    expect(schemas.Body_saveTree!.properties.children.items).toEqual({ $ref: "#/components/schemas/Body_saveTree" });
  });

  it("keeps Velox's own components and renames a user schema that takes their name", () => {
    const Mine = z.object({ mine: z.string() }).meta({ id: "ValidationError" });
    const r = registry();
    const fixed = r.define("ValidationError", { type: "object", title: "ValidationError" });
    const doc = [fixed, r.use(Mine, "input")];
    const schemas = r.finish(doc);
    expect(doc[1]).toEqual({ $ref: "#/components/schemas/ValidationError2" });
    expect(schemas.ValidationError).toEqual({ type: "object", title: "ValidationError" });
  });

  it("leaves out components nothing refers to, and reads object shapes for parameters", () => {
    const Filters = z.object({ limit: z.int().default(10), q: z.string() }).meta({ id: "Filters" });
    const r = registry();
    const shape = r.objectShape(Filters, "input")!;
    expect(Object.keys(shape.properties)).toEqual(["limit", "q"]);
    expect(shape.required).toEqual(["q"]);
    expect(r.finish({ parameters: [shape.properties.q] })).toEqual({});
  });

  it("describes what the library cannot as an unconstrained schema", () => {
    const r = registry();
    expect(r.use(z.string().transform((s) => s.length), "output")).toEqual({});
  });
});
