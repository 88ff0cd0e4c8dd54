import { describe, expect, it } from "vitest";
import { ifNoneMatchMatches, parseEntityTags, strongMatch } from "./entity-tag.ts";

describe("entity tags", () => {
  it("splits lists between tags, not inside them", () => {
    expect(parseEntityTags('W/"a", "b,c" ,"d"')).toEqual(['W/"a"', '"b,c"', '"d"']);
    expect(parseEntityTags(" * ")).toBe("*");
    expect(parseEntityTags('garbage, "unterminated')).toEqual([]);
  });

  it("If-None-Match compares weakly", () => {
    expect(ifNoneMatchMatches('W/"v1"', '"v1"')).toBe(true);
    expect(ifNoneMatchMatches('"v1"', 'W/"v1"')).toBe(true);
    expect(ifNoneMatchMatches('"x", "v1"', '"v1"')).toBe(true);
    expect(ifNoneMatchMatches("*", '"v1"')).toBe(true);
    expect(ifNoneMatchMatches('"v2"', '"v1"')).toBe(false);
    expect(ifNoneMatchMatches("v1", '"v1"')).toBe(false);
    expect(ifNoneMatchMatches(undefined, '"v1"')).toBe(false);
  });

  it("strong comparison refuses weak tags", () => {
    expect(strongMatch('"a"', '"a"')).toBe(true);
    expect(strongMatch('W/"a"', 'W/"a"')).toBe(false);
    expect(strongMatch('"a"', '"b"')).toBe(false);
  });
});
