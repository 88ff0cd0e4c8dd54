import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkValue, decodeEntry, encodeEntry } from "./codec.ts";
import { parseInvalidation } from "./redis-tier.ts";

describe("cache codec", () => {
  it("round-trips an entry as JSON", () => {
    const entry = { value: { id: 1, tags: ["a"] }, fresh: 10, stale: 20, tags: ["x"] };
    expect(decodeEntry(encodeEntry(entry))).toEqual(entry);
  });

  it("treats hostile or foreign stored text as a miss", () => {
    for (const text of ["", "not json", "null", "[]", '{"v":1}', '{"v":1,"f":"1","g":2,"t":[]}', '{"v":1,"f":1,"g":2,"t":[1]}', "\u0000".repeat(10), '{"f":1,"g":2,"t":[]}']) {
      expect(decodeEntry(text), text).toBeUndefined();
    }
    const polluted = decodeEntry('{"v":{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"ok":1},"f":1,"g":2,"t":[]}');
    expect(polluted?.value).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it("validates with a schema on the way out; a failing value is undefined", async () => {
    const schema = z.object({ id: z.number(), at: z.coerce.date() });
    expect(await checkValue(schema, { id: 1, at: "2026-01-01T00:00:00Z" })).toEqual({ value: { id: 1, at: new Date("2026-01-01T00:00:00Z") } });
    expect(await checkValue(schema, { id: "1", at: "x" })).toBeUndefined();
    expect(await checkValue(undefined, 5)).toEqual({ value: 5 });
  });

  it("reads only well-formed invalidation messages", () => {
    expect(parseInvalidation('{"o":"a","k":["x"],"t":["y"],"p":"z"}')).toEqual({ o: "a", k: ["x"], t: ["y"], p: "z" });
    for (const text of ["", "{", "1", '{"k":["x"]}', '{"o":"a","k":"x"}', '{"o":"a","p":1}']) expect(parseInvalidation(text), text).toBeNull();
  });
});
