import { describe, expect, it } from "vitest";
import { parseRange } from "./range.ts";

describe("parseRange", () => {
  it.each([
    ["bytes=0-99", 1000, { start: 0, end: 99 }],
    ["bytes=0-0", 1000, { start: 0, end: 0 }],
    ["bytes=500-", 1000, { start: 500, end: 999 }],
    ["bytes=-100", 1000, { start: 900, end: 999 }],
    ["bytes=-5000", 1000, { start: 0, end: 999 }],
    ["bytes=900-5000", 1000, { start: 900, end: 999 }],
    ["BYTES = 1 - 2", 1000, { start: 1, end: 2 }],
    ["bytes=0-99999999999999999999999", 10, { start: 0, end: 9 }],
  ] as const)("%s of %i bytes is one range", (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });

  it.each([
    ["bytes=1000-", 1000],
    ["bytes=1000-2000", 1000],
    ["bytes=-0", 1000],
    ["bytes=0-", 0],
    ["bytes=-1", 0],
    ["bytes=99999999999999999999999-", 10],
  ] as const)("%s of %i bytes is unsatisfiable", (header, size) => {
    expect(parseRange(header, size)).toBe("unsatisfiable");
  });

  it.each([
    [undefined],
    ["bytes=5-1"],
    ["bytes=0-1,3-4"],
    ["items=0-1"],
    ["bytes=-"],
    ["bytes=a-b"],
    ["bytes=0x10-20"],
    ["bytes=1.5-2"],
    ["bytes=+1-2"],
  ] as const)("%s is ignored (whole body)", (header) => {
    expect(parseRange(header, 1000)).toBeNull();
  });
});
