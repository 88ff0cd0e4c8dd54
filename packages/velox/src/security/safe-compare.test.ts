import { describe, expect, it } from "vitest";
import { safeCompare } from "./safe-compare.ts";

describe("safeCompare", () => {
  it("tells equal from different secrets", () => {
    expect(safeCompare("swordfish", "swordfish")).toBe(true);
    expect(safeCompare("swordfish", "swordfisH")).toBe(false);
    expect(safeCompare("", "")).toBe(true);
  });

  it("accepts different lengths without throwing (timingSafeEqual alone would)", () => {
    expect(safeCompare("short", "a much longer secret value")).toBe(false);
    expect(safeCompare("", "x")).toBe(false);
  });

  it("compares strings as UTF-8 and bytes as bytes", () => {
    expect(safeCompare("pässword", Buffer.from("pässword", "utf8"))).toBe(true);
    expect(safeCompare(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
  });
});
