import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { describeEachApp } from "./testing/app-harness.ts";
import { loadSettings } from "./settings.ts";

const FRONT = "http://localhost:3000";

describeEachApp("the reference app's standard middleware", (t) => {
  it("answers the front end's preflight and marks every response with CORS, a request id and X-Process-Time", async () => {
    const preflight = await t.client.options("/items", {
      headers: { origin: FRONT, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(FRONT);
    expect(preflight.headers["access-control-allow-credentials"]).toBe("true");
    expect(preflight.headers["access-control-allow-headers"]).toBe("authorization, content-type");
    for (const path of ["/items", "/nope"]) {
      const res = await t.client.get(path, { headers: { origin: FRONT, "x-request-id": "front-1" } });
      expect(res.headers["access-control-allow-origin"], path).toBe(FRONT);
      expect(res.headers["x-request-id"], path).toBe("front-1");
      expect(res.headers["x-process-time"], path).toMatch(/^\d+\.\d{6}$/);
    }
    const foreign = await t.client.get("/nope", { headers: { origin: "http://evil.test" } });
    expect(foreign.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("gzips responses of 1000 bytes and more", async () => {
    const alice = await t.login("alice");
    for (let i = 0; i < 30; i++) await t.client.post("/items", { ...alice.auth, json: { title: `item number ${i}`, description: "x".repeat(40), price: 1 } });
    const res = await t.client.get("/items?limit=30", { headers: { ...alice.auth.headers, "accept-encoding": "gzip" } });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(res.body).toString()).items).toHaveLength(30);
    const small = await t.client.get("/users/me", { headers: { ...alice.auth.headers, "accept-encoding": "gzip" } });
    expect(small.headers["content-encoding"]).toBeUndefined();
  });
});

describe("BACKEND_CORS_ORIGINS", () => {
  const load = (value?: string) => loadSettings({ env: { JWT_SECRET: "x".repeat(40), ...(value === undefined ? {} : { BACKEND_CORS_ORIGINS: value }) }, envFile: false as never, warn: () => {} }).corsOrigins;
  it("defaults to the seed's front end and reads lists like FastAPI's template", () => {
    expect(load()).toEqual(["http://localhost:3000"]);
    expect(load("https://a.example.com/, https://b.example.com")).toEqual(["https://a.example.com", "https://b.example.com"]);
    expect(load('["https://a.example.com","http://localhost:5173"]')).toEqual(["https://a.example.com", "http://localhost:5173"]);
    expect(() => load("[not json")).toThrow(/BACKEND_CORS_ORIGINS/);
  });
});
