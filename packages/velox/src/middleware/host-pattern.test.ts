import { describe, expect, it } from "vitest";
import { compileHosts, hostOf, portOf } from "./host-pattern.ts";

describe("hostOf", () => {
  it.each([
    ["example.com", "example.com"],
    ["Example.COM:8080", "example.com"],
    ["example.com.", "example.com"],
    ["127.0.0.1:80", "127.0.0.1"],
    ["[::1]:8000", "[::1]"],
    ["[fe80::1%25eth0]", "[fe80::1%25eth0]"],
    ["my_host", "my_host"],
    [undefined, null],
    ["", null],
    ["example.com/evil", null],
    ["evil.com@example.com", null],
    ["example.com:80x", null],
    ["example.com:", null],
    ["exa mple.com", null],
    ["[::1", null],
    ["[::1]x", null],
    ["-bad.example.com", null],
    ["a..b", null],
    ["x".repeat(254), null],
  ])("%s → %s", (header, host) => {
    expect(hostOf(header)).toBe(host);
  });

  it("reads ports", () => {
    expect(portOf("example.com:8080")).toBe("8080");
    expect(portOf("[::1]:9")).toBe("9");
    expect(portOf("[::1]")).toBeUndefined();
    expect(portOf("example.com")).toBeUndefined();
  });
});

describe("compileHosts", () => {
  const allowed = compileHosts(["Example.com", "*.api.example.com", "[::1]"], "test");
  it.each([
    ["example.com", true],
    ["www.example.com", false],
    ["v1.api.example.com", true],
    ["a.b.api.example.com", true],
    ["api.example.com", false],
    ["xapi.example.com", false],
    ["example.com.evil.net", false],
    ["[::1]", true],
  ])("%s → %s", (host, expected) => {
    expect(allowed(host)).toBe(expected);
  });

  it("refuses patterns that are not host names", () => {
    for (const bad of ["https://example.com", "example.com:80", "example.com/", "*example.com", "*.", "a b"]) {
      expect(() => compileHosts([bad], "trustedHost"), bad).toThrow(/trustedHost/);
    }
    expect(compileHosts(["*"], "t").any).toBe(true);
  });
});
