import { describe, expect, it } from "vitest";
import type { HeaderMap } from "../responses/headers.ts";
import { CorsPolicy, type CorsOptions } from "./cors-policy.ts";

const APP = "http://localhost:3000";
const pre = (policy: CorsPolicy, origin: string, method: string, headers?: string, privateNetwork = false) =>
  policy.preflight({ origin, method, headers, privateNetwork });
const actual = (policy: CorsPolicy, origin: string | undefined, headers: HeaderMap = {}) => {
  policy.decorate(origin, headers);
  return headers;
};

describe("CorsPolicy options", () => {
  it("normalises origins and refuses what is not one", () => {
    const policy = new CorsPolicy({ allowOrigins: ["http://LOCALHOST:3000/", "https://example.com:443"] });
    expect(policy.allows("http://localhost:3000")).toBe(true);
    expect(policy.allows("https://example.com")).toBe(true);
    for (const bad of ["localhost:3000x", "http://example.com/app", "http://example.com?x=1", "http://u:p@example.com", "*.example.com", "file:///x"]) {
      expect(() => new CorsPolicy({ allowOrigins: [bad] }), bad).toThrow(/allowOrigins/);
    }
    expect(() => new CorsPolicy({ allowMethods: ["GET POST"] })).toThrow(/allowMethods/);
    expect(() => new CorsPolicy({ allowHeaders: ["x-a,x-b"] })).toThrow(/allowHeaders/);
    expect(() => new CorsPolicy({ maxAge: -1 })).toThrow(/maxAge/);
  });

  it("matches regex origins in full only", () => {
    const policy = new CorsPolicy({ allowOriginRegex: /https:\/\/[a-z]+\.example\.com/g });
    expect(policy.allows("https://app.example.com")).toBe(true);
    expect(policy.allows("https://app.example.com")).toBe(true); // no lastIndex state from /g
    expect(policy.allows("https://app.example.com.evil.net")).toBe(false);
    expect(policy.allows("https://evil.net/https://app.example.com")).toBe(false);
    const fromString = new CorsPolicy({ allowOriginRegex: "https://.*\\.example\\.org" });
    expect(fromString.allows("https://a.example.org")).toBe(true);
    expect(fromString.allows("https://a.example.org.evil")).toBe(false);
  });
});

describe("preflight decision table", () => {
  const explicit: CorsOptions = { allowOrigins: [APP], allowMethods: ["GET", "PUT", "PATCH"], allowHeaders: ["X-Token"], maxAge: 100 };

  it("allows a listed origin, method and headers with 204 and the configured lists", () => {
    const answer = pre(new CorsPolicy(explicit), APP, "PUT", "content-type,x-token");
    expect(answer.status).toBe(204);
    expect(answer.headers).toEqual({
      vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
      "access-control-allow-origin": APP,
      "access-control-allow-methods": "GET, PUT, PATCH",
      "access-control-allow-headers": "accept, accept-language, content-language, content-type, x-token",
      "access-control-max-age": "100",
    });
  });

  it.each([
    // [case, origin, method, request headers, expected status, failure text]
    ["unknown origin", "http://evil.test", "PUT", undefined, 400, "Disallowed CORS origin"],
    ["origin differing in port", "http://localhost:3001", "PUT", undefined, 400, "Disallowed CORS origin"],
    ["origin differing in scheme", "https://localhost:3000", "PUT", undefined, 400, "Disallowed CORS origin"],
    ["the opaque origin", "null", "PUT", undefined, 400, "Disallowed CORS origin"],
    ["two origins joined", `${APP}, http://evil.test`, "PUT", undefined, 400, "Disallowed CORS origin"],
    ["method not listed", APP, "DELETE", undefined, 400, "Disallowed CORS method"],
    ["method in the wrong case (Fetch compares methods exactly)", APP, "patch", undefined, 400, "Disallowed CORS method"],
    ["safelisted POST not listed", APP, "POST", "content-type", 204, null],
    ["header not listed", APP, "PUT", "x-token, authorization", 400, "Disallowed CORS headers"],
    ["header names are case-insensitive", APP, "PUT", "X-TOKEN", 204, null],
    ["empty header list", APP, "PUT", "", 204, null],
    ["garbage header name", APP, "PUT", "x token", 400, "Disallowed CORS headers"],
    ["everything wrong", "http://evil.test", "DELETE", "authorization", 400, "Disallowed CORS origin, method, headers"],
  ] as const)("%s → %i", (_case, origin, method, headers, status, body) => {
    const answer = pre(new CorsPolicy(explicit), origin, method, headers);
    expect(answer.status).toBe(status);
    expect(answer.body).toBe(body);
    if (status === 400) {
      expect(Object.keys(answer.headers)).toEqual(["vary"]);
    }
  });

  it("wildcards without credentials answer *, echoing only what * cannot cover", () => {
    const answer = pre(new CorsPolicy({ allowOrigins: "*", allowMethods: "*", allowHeaders: "*" }), "https://any.test", "DELETE", "authorization, x-a");
    expect(answer.headers["access-control-allow-origin"]).toBe("*");
    expect(answer.headers["access-control-allow-methods"]).toBe("*");
    // `Access-Control-Allow-Headers: *` does not cover Authorization in Fetch: echo the names.
    expect(answer.headers["access-control-allow-headers"]).toBe("authorization, x-a");
    expect(answer.headers["access-control-allow-credentials"]).toBeUndefined();
  });

  it("wildcards with credentials echo the origin and the method (a literal * would fail)", () => {
    const policy = new CorsPolicy({ allowOrigins: ["*"], allowMethods: ["*"], allowHeaders: ["*"], allowCredentials: true });
    const answer = pre(policy, "https://any.test", "PATCH", "x-a");
    expect(answer.headers["access-control-allow-origin"]).toBe("https://any.test");
    expect(answer.headers["access-control-allow-credentials"]).toBe("true");
    expect(answer.headers["access-control-allow-methods"]).toBe("PATCH");
    expect(answer.headers["access-control-allow-headers"]).toBe("x-a");
    // A sandboxed page's opaque origin is never granted credentials by a wildcard.
    expect(pre(policy, "null", "GET").status).toBe(400);
  });

  it("answers Private Network Access preflights only when allowed", () => {
    const off = pre(new CorsPolicy({ allowOrigins: [APP] }), APP, "GET", undefined, true);
    expect(off.headers["access-control-allow-private-network"]).toBeUndefined();
    const on = pre(new CorsPolicy({ allowOrigins: [APP], allowPrivateNetwork: true }), APP, "GET", undefined, true);
    expect(on.headers["access-control-allow-private-network"]).toBe("true");
  });

  it("defaults to Starlette's: GET only, no origins, max-age 600", () => {
    const policy = new CorsPolicy({ allowOrigins: [APP] });
    const answer = pre(policy, APP, "GET");
    expect(answer.headers["access-control-allow-methods"]).toBe("GET");
    expect(answer.headers["access-control-max-age"]).toBe("600");
    expect(pre(policy, APP, "PUT").status).toBe(400);
    expect(new CorsPolicy({}).allows(APP)).toBe(false);
  });
});

describe("actual responses", () => {
  it("an allowed origin gets Allow-Origin, credentials and exposed headers, with Vary: Origin", () => {
    const policy = new CorsPolicy({ allowOrigins: [APP], allowCredentials: true, exposeHeaders: ["X-Total-Count"] });
    expect(actual(policy, APP)).toEqual({
      vary: "Origin",
      "access-control-allow-origin": APP,
      "access-control-allow-credentials": "true",
      "access-control-expose-headers": "X-Total-Count",
    });
  });

  it("a disallowed or missing origin gets no CORS header, only Vary: Origin", () => {
    const policy = new CorsPolicy({ allowOrigins: [APP] });
    expect(actual(policy, "http://evil.test")).toEqual({ vary: "Origin" });
    expect(actual(policy, undefined, { vary: "Accept-Encoding" })).toEqual({ vary: "Accept-Encoding, Origin" });
  });

  it("a constant * goes on every response, without Vary", () => {
    const policy = new CorsPolicy({ allowOrigins: "*" });
    expect(actual(policy, undefined)).toEqual({ "access-control-allow-origin": "*" });
    expect(actual(policy, "https://x.test")).toEqual({ "access-control-allow-origin": "*" });
  });

  it("expose * with credentials lists the response's own headers", () => {
    const policy = new CorsPolicy({ allowOrigins: [APP], allowCredentials: true, exposeHeaders: "*" });
    const headers = actual(policy, APP, { "content-type": "application/json", "x-request-id": "1", etag: '"a"' });
    expect(headers["access-control-expose-headers"]).toBe("x-request-id, etag");
    expect(actual(new CorsPolicy({ allowOrigins: [APP], exposeHeaders: "*" }), APP)["access-control-expose-headers"]).toBe("*");
  });

  it("leaves a route's own Allow-Origin alone", () => {
    const policy = new CorsPolicy({ allowOrigins: [APP] });
    expect(actual(policy, APP, { "access-control-allow-origin": "https://other.test" })["access-control-allow-origin"]).toBe("https://other.test");
  });
});
