import { describe, expect, it } from "vitest";
import { grantScopes, hasScopes } from "./scopes.ts";

describe("scopes", () => {
  it("grants the requested scopes the user holds, or all when none are requested", () => {
    expect(grantScopes(["read", "admin"], ["read", "write"])).toEqual(["read"]);
    expect(grantScopes([], ["read", "write"])).toEqual(["read", "write"]);
    expect(grantScopes(["read", "read"], ["read"])).toEqual(["read"]);
  });

  it("checks required scopes", () => {
    expect(hasScopes(["read", "write"], ["write"])).toBe(true);
    expect(hasScopes(["read"], ["read", "write"])).toBe(false);
    expect(hasScopes([], [])).toBe(true);
  });
});
