import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compileBodyShape } from "./body-shape.ts";
import { param } from "./param.ts";

const fastapi = JSON.parse(readFileSync(new URL("../../test/compat/body-params-cases.json", import.meta.url), "utf8")) as Record<string, { status: number; body: any }>;
const Item = z.object({ name: z.string(), price: z.number(), tax: z.number().nullable().default(null) });
const User = z.object({ username: z.string(), full_name: z.string().nullable().default(null) });
const validate = compileBodyShape({ item: Item, user: User, importance: z.int() }, false);

describe("several body parameters (FastAPI's wire shape and errors)", () => {
  it("validates each key with its own schema", async () => {
    const checked = await validate({ item: { name: "Foo", price: 35.4 }, user: { username: "dave" }, importance: 5, extra: 1 }, ["body"]);
    expect(checked.value).toEqual({ item: { name: "Foo", price: 35.4, tax: null }, user: { username: "dave", full_name: null }, importance: 5 });
  });

  it("reports errors at [body, key, ...] exactly as FastAPI", async () => {
    const checked = await validate({ item: { name: "Foo", price: "x" }, user: {}, importance: "high" }, ["body"]);
    expect(checked.errors).toEqual(fastapi["multi bad"]!.body.detail);
  });

  it.each([["{}", {}], ["no body", undefined], ["a list", [1, 2]], ["null", null]])("reports every parameter missing for %s", async (_case, body) => {
    const checked = await validate(body, ["body"]);
    expect(checked.errors).toEqual(fastapi["multi missing"]!.body.detail);
  });

  it("embeds one parameter (Body(embed=True)) and honours aliases and optional parameters", async () => {
    const embed = compileBodyShape({ item: Item }, false);
    expect((await embed({ name: "Foo", price: 1 }, ["body"])).errors).toEqual(fastapi["embed unembedded"]!.body.detail);
    const aliased = compileBodyShape({ importance: param(z.int(), { alias: "Importance" }), note: z.string().optional() }, false);
    expect(await aliased({ Importance: 3 }, ["body"])).toEqual({ value: { importance: 3 }, errors: null });
  });
});
