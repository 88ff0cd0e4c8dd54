import { describe, expect, it } from "vitest";
import { jsonable } from "./jsonable.ts";

class Money {
  constructor(readonly cents: bigint, readonly currency: string) {}
  toJSON() {
    return { amount: (Number(this.cents) / 100).toFixed(2), currency: this.currency };
  }
}

class Point {
  private readonly secret = undefined;
  constructor(public x: number, public y: number) {}
  get norm(): number {
    return Math.hypot(this.x, this.y);
  }
}

describe("jsonable", () => {
  it("encodes what JSON.stringify gets wrong", () => {
    const value = {
      at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)),
      small: 42n,
      huge: 2n ** 70n,
      negative: -(2n ** 60n),
      tags: new Set(["a", "b"]),
      meta: new Map<unknown, unknown>([["k", 1], [2, "two"], [true, null]]),
      raw: Buffer.from("héllo"),
      view: new Uint8Array([104, 105]),
      price: new Money(1999n, "EUR"),
      point: new Point(3, 4),
      url: new URL("https://example.com/a?b=c"),
      nan: Number.NaN,
      inf: -Infinity,
      gone: undefined,
      fn: () => 1,
      list: [undefined, () => 1, Symbol("s"), 1],
      nested: { when: new Date(0), ids: new Set([1n]) },
    };
    expect(jsonable(value)).toEqual({
      at: "2024-01-02T03:04:05.006Z",
      small: 42,
      huge: "1180591620717411303424",
      negative: "-1152921504606846976",
      tags: ["a", "b"],
      meta: { k: 1, "2": "two", true: null },
      raw: "héllo",
      view: "hi",
      price: { amount: "19.99", currency: "EUR" },
      point: { x: 3, y: 4 },
      url: "https://example.com/a?b=c",
      nan: null,
      inf: null,
      list: [null, null, null, 1],
      nested: { when: "1970-01-01T00:00:00.000Z", ids: [1] },
    });
    // What it fixes: JSON.stringify throws on BigInt and loses Map/Set contents.
    expect(() => JSON.stringify({ n: 1n })).toThrow();
    expect(JSON.stringify({ s: new Set([1]), m: new Map([["a", 1]]) })).toBe('{"s":{},"m":{}}');
  });

  it("round-trips through JSON unchanged", () => {
    const encoded = jsonable({ a: [new Date(0), 1n, new Map([["x", new Set([1])]])] });
    expect(JSON.parse(JSON.stringify(encoded))).toEqual(encoded);
  });

  it("has options for None, BigInt and bytes", () => {
    expect(jsonable({ a: null, b: undefined, c: 0, d: { e: null } }, { excludeNone: true })).toEqual({ c: 0, d: {} });
    expect(jsonable(5n, { bigint: "string" })).toBe("5");
    expect(jsonable(Buffer.from([0xff, 0x00]), { bytes: "base64" })).toBe("/wA=");
    expect(jsonable(undefined)).toBeNull();
  });

  it("throws a TypeError naming the place instead of writing garbage", () => {
    const cyclic: Record<string, unknown> = { name: "a" };
    cyclic.self = { back: cyclic };
    expect(() => jsonable({ items: [cyclic] })).toThrow(/items\[0\]\.self\.back refers back to itself/);
    expect(() => jsonable({ when: new Date("nope") })).toThrow(/when is an invalid Date/);
    expect(() => jsonable({ blob: Buffer.from([0xff]) })).toThrow(/blob is bytes that are not valid UTF-8/);
    expect(() => jsonable({ m: new Map([[{}, 1]]) })).toThrow(/Map with a object key/);
  });

  it("allows the same object twice when it is not a cycle", () => {
    const shared = { id: 1 };
    expect(jsonable([shared, shared])).toEqual([{ id: 1 }, { id: 1 }]);
  });
});
