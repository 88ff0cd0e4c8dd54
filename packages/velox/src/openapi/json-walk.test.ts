import { describe, expect, it } from "vitest";
import { collectRefs, deepMerge, jsonEqual, mapRefs } from "./json-walk.ts";

describe("json helpers", () => {
  it("merges objects deeply, concatenates arrays and replaces the rest", () => {
    const target = { a: { b: 1, c: [1] }, d: "x" };
    deepMerge(target, { a: { c: [2], e: true }, d: "y" });
    expect(target).toEqual({ a: { b: 1, c: [1, 2], e: true }, d: "y" });
  });

  it("never merges prototype keys", () => {
    const target: Record<string, unknown> = {};
    deepMerge(target, JSON.parse('{"__proto__": {"polluted": true}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(target)).toEqual([]);
  });

  it("copies merged values so later changes do not leak back", () => {
    const extra = { list: [{ a: 1 }] };
    const target: Record<string, unknown> = {};
    deepMerge(target, extra);
    (target.list as { a: number }[])[0]!.a = 2;
    expect(extra.list[0]!.a).toBe(1);
  });

  it("compares JSON with an optional leniency", () => {
    expect(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 }, (_x, _y, key) => key === "b")).toBe(true);
  });

  it("finds and rewrites $refs", () => {
    const doc = { a: { $ref: "#/x" }, b: [{ $ref: "#/y" }], $refx: "not a ref" };
    expect(collectRefs(doc)).toEqual(["#/x", "#/y"]);
    expect(mapRefs(doc, (r) => r.toUpperCase())).toEqual({ a: { $ref: "#/X" }, b: [{ $ref: "#/Y" }], $refx: "not a ref" });
  });
});
