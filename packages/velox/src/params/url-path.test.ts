import { describe, expect, it } from "vitest";
import { parsePathTemplate } from "./path-template.ts";
import { buildPath } from "./url-path.ts";

describe("buildPath", () => {
  const items = parsePathTemplate("/items/{item_id}", "GET");
  const files = parsePathTemplate("/users/{user}/files/{rest:path}", "GET");

  it("fills and encodes parameters", () => {
    expect(buildPath(items, { item_id: 5 }, "read_item")).toBe("/items/5");
    expect(buildPath(items, { item_id: "a/b c?d#e%" }, "read_item")).toBe("/items/a%2Fb%20c%3Fd%23e%25");
    expect(buildPath(files, { user: "ada", rest: "docs/a b.txt" }, "read_file")).toBe("/users/ada/files/docs/a%20b.txt");
    expect(buildPath(parsePathTemplate("/static", "GET"), {}, "s")).toBe("/static");
    expect(buildPath(items, { item_id: 2n ** 64n }, "read_item")).toBe("/items/18446744073709551616");
  });

  it("refuses missing, unknown and empty parameters", () => {
    expect(() => buildPath(items, {}, "read_item")).toThrow(/urlFor\("read_item"\): \/items\/\{item_id\} needs \{item_id\}; missing item_id/);
    expect(() => buildPath(items, { item_id: 1, q: 2 }, "read_item")).toThrow(/unknown q/);
    expect(() => buildPath(items, { item_id: "" }, "read_item")).toThrow(/may not be empty/);
  });
});
