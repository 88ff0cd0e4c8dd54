import { describe, expect, it } from "vitest";
import { securityHeaderSet } from "./security-headers.ts";

describe("securityHeaderSet", () => {
  it("has helmet's defaults without upgrade-insecure-requests", () => {
    const headers = Object.fromEntries(securityHeaderSet());
    expect(headers).toMatchObject({
      "strict-transport-security": "max-age=31536000; includeSubDomains",
      "x-content-type-options": "nosniff",
      "x-frame-options": "SAMEORIGIN",
      "referrer-policy": "no-referrer",
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-resource-policy": "same-origin",
      "origin-agent-cluster": "?1",
      "x-xss-protection": "0",
    });
    expect(headers["content-security-policy"]).toContain("default-src 'self'");
    expect(headers["content-security-policy"]).not.toContain("upgrade-insecure-requests");
    expect(headers["cross-origin-embedder-policy"]).toBeUndefined();
  });

  it("replaces, drops and adds headers", () => {
    const headers = Object.fromEntries(securityHeaderSet({ xFrameOptions: "DENY", contentSecurityPolicy: false, permissionsPolicy: "camera=()", extra: { "X-Robots-Tag": "noindex" } }));
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["content-security-policy"]).toBeUndefined();
    expect(headers["permissions-policy"]).toBe("camera=()");
    expect(headers["x-robots-tag"]).toBe("noindex");
  });

  it("refuses unknown options and header values that could split a response", () => {
    expect(() => securityHeaderSet({ xFrame: "DENY" } as never)).toThrow(/unknown option "xFrame"/);
    expect(() => securityHeaderSet({ referrerPolicy: "no-referrer\r\nSet-Cookie: a=b" })).toThrow(/referrer-policy/);
    expect(() => securityHeaderSet({ extra: { "bad name": "x" } })).toThrow(/bad name/);
    expect(() => securityHeaderSet({ xFrameOptions: 1 as never })).toThrow(/xFrameOptions/);
  });
});
