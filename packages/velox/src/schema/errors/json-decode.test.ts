import { describe, expect, it } from "vitest";
import { pythonJsonError } from "./json-decode.ts";

// Each row is what CPython 3.11's json.loads raised for the text (JSONDecodeError.pos and .msg).
const rows: [text: string, pos: number, msg: string][] = [
  ['{"name": }', 9, "Expecting value"],
  ['{"name": "W",}', 13, "Expecting property name enclosed in double quotes"],
  ["{name: 1}", 1, "Expecting property name enclosed in double quotes"],
  ['{"name" 1}', 8, "Expecting ':' delimiter"],
  ['{"name": "W" "price": 1}', 13, "Expecting ',' delimiter"],
  ["{} {}", 3, "Extra data"],
  ['{"name": "W"', 12, "Expecting ',' delimiter"],
  ['{"name": "W', 9, "Unterminated string starting at"],
  ["hello", 0, "Expecting value"],
  ['{"a": "\\x"}', 7, "Invalid \\escape"],
  ['{"a": "\\u12"}', 8, "Invalid \\uXXXX escape"],
  ['{"a": "x\ny"}', 8, "Invalid control character at"],
  ["[1,]", 3, "Expecting value"],
  ["[1 2]", 3, "Expecting ',' delimiter"],
  ["[", 1, "Expecting value"],
  ["{", 1, "Expecting property name enclosed in double quotes"],
  ['{"a"', 4, "Expecting ':' delimiter"],
  ['{"a":', 5, "Expecting value"],
  ["", 0, "Expecting value"],
  ["  ", 2, "Expecting value"],
  ['"abc', 0, "Unterminated string starting at"],
  ["tru", 0, "Expecting value"],
  ["-", 0, "Expecting value"],
  ["1.", 1, "Extra data"],
  ["01", 1, "Extra data"],
  ['{"a":1}}', 7, "Extra data"],
  ['{"a" : 1 , }', 11, "Expecting property name enclosed in double quotes"],
  ['"é", 1', 3, "Extra data"],
  ['{"😀": x}', 6, "Expecting value"],
  ["1e+", 1, "Extra data"],
  ["[-]", 1, "Expecting value"],
  ["{,}", 1, "Expecting property name enclosed in double quotes"],
  ["truex", 4, "Extra data"],
  ["[true false]", 6, "Expecting ',' delimiter"],
  ['"a\tb"', 2, "Invalid control character at"],
];

describe("pythonJsonError", () => {
  it.each(rows)("%j → pos %i, %s", (text, pos, msg) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(pythonJsonError(text)).toEqual({ pos, msg });
  });

  it("reports NaN, which Python accepts and JSON.parse refuses, as a missing value", () => {
    expect(pythonJsonError('{"price": NaN}')).toEqual({ pos: 10, msg: "Expecting value" });
  });

  it("counts positions in code points, as Python does, not UTF-16 units", () => {
    expect(pythonJsonError('["😀😀", x]').pos).toBe(7);
  });

  it("does not exhaust the stack on deep nesting", () => {
    expect(pythonJsonError("[".repeat(100_000))).toEqual({ pos: 512, msg: "Expecting value" });
  });
});
