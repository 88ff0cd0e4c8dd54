import { describe, expect, it } from "vitest";
import { VeloxError } from "../errors.ts";
import { assignOperationIds, type OperationIdRequest } from "./operation-ids.ts";

const op = (method: string, path: string, name?: string, explicit?: string): OperationIdRequest => ({
  method,
  path,
  name,
  tags: ["t"],
  route: null,
  explicit,
  where: `${method.toUpperCase()} ${path}`,
});

describe("assignOperationIds", () => {
  it("uses the route name, or method and path for unnamed routes", () => {
    expect(assignOperationIds([op("get", "/items/{id}", "readItem"), op("post", "/items")])).toEqual(["readItem", "postItems"]);
  });

  it("grows only the clashing ids: name, then method, then path", () => {
    const ids = assignOperationIds([
      op("get", "/items", "list"),
      op("get", "/users", "list"),
      op("get", "/ping", "ping"),
      op("post", "/ping", "ping"),
    ]);
    expect(ids).toEqual(["listGetItems", "listGetUsers", "pingGet", "pingPost"]);
    expect(new Set(ids).size).toBe(4);
  });

  it("keeps explicit ids and moves generated ones out of their way", () => {
    expect(assignOperationIds([op("get", "/a", "readItem"), op("get", "/b", "other", "readItem")])).toEqual(["readItemGet", "readItem"]);
  });

  it("numbers what is still equal after every step", () => {
    expect(assignOperationIds([op("get", "/a-b"), op("get", "/a/b")])).toEqual(["getAB", "getAB2"]);
  });

  it("refuses duplicate explicit ids, naming both routes", () => {
    const run = () => assignOperationIds([op("get", "/a", undefined, "same"), op("get", "/b", undefined, "same")]);
    expect(run).toThrow(VeloxError);
    expect(run).toThrow(/GET \/b: operationId "same" is already used by GET \/a/);
  });

  it("treats a custom generator's ids as explicit", () => {
    const generate = (r: { method: string; tags: readonly string[] }) => `${r.tags[0]}-${r.method}`;
    expect(assignOperationIds([op("get", "/a"), op("post", "/a")], generate)).toEqual(["t-get", "t-post"]);
    expect(() => assignOperationIds([op("get", "/a"), op("get", "/b")], generate)).toThrow(/VX_DUPLICATE_OPERATION_ID/);
    expect(() => assignOperationIds([op("get", "/a")], () => "")).toThrow(/non-empty string/);
  });
});
