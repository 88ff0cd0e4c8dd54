import { describe, expect, it } from "vitest";
import { camelCase, operationIdCandidates, pathWords, routeName, summaryOf, words } from "./naming.ts";

describe("naming", () => {
  it("splits snake, camel, kebab and acronyms into words", () => {
    expect(words("read_item")).toEqual(["read", "item"]);
    expect(words("readItem")).toEqual(["read", "item"]);
    expect(words("read-item")).toEqual(["read", "item"]);
    expect(words("getHTTPStatus")).toEqual(["get", "http", "status"]);
  });

  it("builds camelCase identifiers that never start with a digit", () => {
    expect(camelCase(["read", "item"])).toBe("readItem");
    expect(camelCase(["2fa", "check"])).toBe("op2faCheck");
  });

  it("titles summaries like FastAPI", () => {
    expect(summaryOf("read_item")).toBe("Read Item");
    expect(summaryOf("listUsersV2")).toBe("List Users V2");
  });

  it("reads path parameters as 'by <name>'", () => {
    expect(pathWords("/users/{user_id}/items/{item_id}")).toEqual(["users", "by", "user", "id", "items", "by", "item", "id"]);
    expect(pathWords("/files/{file_path:path}")).toEqual(["files", "by", "file", "path"]);
  });

  it("prefers the explicit name, then the handler's, and ignores anonymous functions", () => {
    expect(routeName("custom", function readItem() {})).toBe("custom");
    expect(routeName(undefined, function readItem() {})).toBe("readItem");
    expect(routeName(undefined, function readItem() {}.bind(null))).toBe("readItem");
    expect(routeName(undefined, (() => () => {})())).toBeUndefined();
  });

  it("offers growing operationId candidates", () => {
    expect(operationIdCandidates("GET", "/items/{item_id}", "read_item")).toEqual(["readItem", "readItemGet", "readItemGetItemsByItemId"]);
    expect(operationIdCandidates("POST", "/items", undefined)).toEqual(["postItems"]);
  });
});
