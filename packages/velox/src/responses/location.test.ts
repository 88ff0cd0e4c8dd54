import { describe, expect, it } from "vitest";
import { locationFromTarget } from "./location.ts";

describe("locationFromTarget", () => {
  it("keeps escapes and URI syntax exactly", () => {
    const target = "/a/b?q=a%26b%3Dc%23d%25e%2Bf&r=%E2%82%AC&s=a+b;t=(x)*!$'@:,[]~";
    expect(locationFromTarget(target)).toBe(target);
  });

  it("escapes what is outside URI syntax", () => {
    expect(locationFromTarget("/\\evil.example")).toBe("/%5Cevil.example");
    expect(locationFromTarget('/a"<b>`{|}^ c')).toBe("/a%22%3Cb%3E%60%7B%7C%7D%5E%20c");
    expect(locationFromTarget("/x\r\nSet-Cookie: a=b")).toBe("/x%0D%0ASet-Cookie:%20a=b");
    expect(locationFromTarget("/caf\u00e9/€")).toBe("/caf%C3%A9/%E2%82%AC");
  });
});
