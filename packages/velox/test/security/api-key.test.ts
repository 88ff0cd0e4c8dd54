import { describe, expect, it } from "vitest";
import { APIKeyCookie, APIKeyHeader, APIKeyQuery, Router, Velox, VeloxError, depends, safeCompare, schemeInfo, unauthorized } from "../../src/index.ts";
import type { TestClient } from "../../src/testing/index.ts";
import { useTestClient } from "./test-client.ts";

const serve = useTestClient();

type Send = (c: TestClient, key: string | undefined) => ReturnType<TestClient["get"]>;

const cases: [string, typeof APIKeyHeader, string, Send][] = [
  ["APIKeyHeader", APIKeyHeader, "X-API-Key", (c, key) => c.get("/k", key === undefined ? {} : { headers: { "x-api-key": key } })],
  ["APIKeyQuery", APIKeyQuery, "api_key", (c, key) => c.get("/k", key === undefined ? {} : { query: { api_key: key } })],
  ["APIKeyCookie", APIKeyCookie, "session", (c, key) => c.get("/k", key === undefined ? {} : { cookies: { session: key } })],
];

describe.each(cases)("%s", (kind, factory, name, send) => {
  function app(autoError?: boolean) {
    const scheme = autoError === undefined ? factory({ name }) : factory({ name, autoError });
    const a = new Velox({ logger: false });
    a.get("/k", { deps: { key: scheme } }, ({ key }) => ({ key: key ?? null }));
    return serve(a);
  }

  it("yields the key", async () => {
    expect((await send(app(), "s3cret")).json()).toEqual({ key: "s3cret" });
  });

  it("answers 401 Not authenticated with WWW-Authenticate: APIKey when missing or empty (FastAPI >= 0.122)", async () => {
    const c = app();
    for (const key of [undefined, ""]) {
      const res = await send(c, key);
      expect(res.status).toBe(401);
      expect(res.json()).toEqual({ detail: "Not authenticated" });
      expect(res.headers["www-authenticate"]).toBe("APIKey");
    }
  });

  it("yields undefined with autoError: false", async () => {
    expect((await send(app(false), undefined)).json()).toEqual({ key: null });
  });

  it("documents where the key is", () => {
    const location = kind === "APIKeyHeader" ? "header" : kind === "APIKeyQuery" ? "query" : "cookie";
    expect(schemeInfo(factory({ name }))).toEqual({ name: kind, scheme: { type: "apiKey", in: location, name }, challenge: "APIKey" });
  });
});

describe("API keys", () => {
  it("refuses a query key sent twice instead of picking one", async () => {
    const a = new Velox({ logger: false });
    a.get("/k", { deps: { key: APIKeyQuery({ name: "api_key" }) } }, ({ key }) => ({ key }));
    const res = await serve(a).get("/k", { query: { api_key: ["a", "b"] } });
    expect(res.status).toBe(401);
  });

  it("guards a whole router, checked in constant time", async () => {
    const header = APIKeyHeader({ name: "X-API-Key" });
    const checkKey = depends({ deps: { key: header } }, ({ key }) => {
      if (!safeCompare(key, "right-key")) throw unauthorized(header, "Invalid API key");
    });
    const admin = new Router({ prefix: "/admin", dependencies: [checkKey] });
    admin.get("/stats", {}, () => ({ ok: true }));
    const a = new Velox({ logger: false });
    a.include(admin);
    const c = serve(a);
    expect((await c.get("/admin/stats", { headers: { "x-api-key": "right-key" } })).json()).toEqual({ ok: true });
    const wrong = await c.get("/admin/stats", { headers: { "x-api-key": "wrong-key" } });
    expect(wrong.status).toBe(401);
    expect(wrong.json()).toEqual({ detail: "Invalid API key" });
    expect(wrong.headers["www-authenticate"]).toBe("APIKey");
    expect((await c.get("/admin/stats")).status).toBe(401);
  });

  it("requires a name", () => {
    expect(() => APIKeyHeader({ name: "" })).toThrow(VeloxError);
  });
});
