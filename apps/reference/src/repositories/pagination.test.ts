import { describe, expect, it } from "vitest";
import { MAX_PAGE_SIZE, pageWindow, toPage } from "./pagination.ts";

describe("pageWindow", () => {
  it("defaults to the first page of 50", () => {
    expect(pageWindow()).toEqual({ page: 1, size: 50, offset: 0 });
  });

  it("clamps page and size", () => {
    expect(pageWindow({ page: 0, size: 0 })).toEqual({ page: 1, size: 1, offset: 0 });
    expect(pageWindow({ page: -4, size: 10_000 })).toEqual({ page: 1, size: MAX_PAGE_SIZE, offset: 0 });
    expect(pageWindow({ page: 3, size: 20 })).toEqual({ page: 3, size: 20, offset: 40 });
    expect(pageWindow({ page: Number.NaN, size: 2.7 })).toEqual({ page: 1, size: 2, offset: 0 });
  });
});

describe("toPage", () => {
  it("computes the page count", () => {
    expect(toPage([1, 2], 5, { page: 1, size: 2 })).toEqual({ items: [1, 2], total: 5, page: 1, size: 2, pages: 3 });
    expect(toPage([], 0, { page: 1, size: 10 }).pages).toBe(0);
  });
});
