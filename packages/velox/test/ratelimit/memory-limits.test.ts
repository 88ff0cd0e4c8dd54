import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { HTTPException, Router, Velox } from "../../src/index.ts";
import { generateOpenAPI } from "../../src/openapi/generate.ts";
import { byClientAddress, byHeader, memoryStore, rateLimit } from "../../src/ratelimit/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";

const warnings: unknown[] = [];
const logger = { error() {}, info() {}, warn: (obj: object) => void warnings.push(obj) };

const perApp = rateLimit({ limit: 3, windowMs: 60_000, name: "app", perRoute: true });
const behindProxy = rateLimit({ limit: 2, windowMs: 60_000, name: "proxied", key: byClientAddress({ trustProxy: "loopback" }) });
const apiKey = rateLimit({ limit: 2, windowMs: 60_000, name: "apikey", key: byHeader("x-api-key") });
const throwingOpen = rateLimit({ limit: 1, windowMs: 60_000, name: "broken-open", failure: "open", key: () => { throw new Error("key exploded"); } });
const throwingClosed = rateLimit({ limit: 1, windowMs: 60_000, name: "broken-closed", key: () => { throw new Error("key exploded"); } });
const off = rateLimit({ limit: 0, windowMs: 30_000, name: "off" });
const perUser = rateLimit({ limit: 2, windowMs: 60_000, name: "user" });
const userDep = perUser.keyed({ form: { username: z.string().max(150) } }, ({ form }) => form.username.toLowerCase());
const problemLimiter = rateLimit({ limit: 1, windowMs: 60_000, name: "problem" });

let live: LiveServer;
let problemLive: LiveServer;

beforeAll(async () => {
  const app = new Velox({ logger });
  const limited = new Router({ prefix: "/limited", responses: perApp.responses });
  perApp(limited);
  limited.get("/a", {}, () => ({ route: "a" }));
  limited.get("/b", {}, () => ({ route: "b" }));
  app.include(limited);
  app.get("/proxied", { hooks: behindProxy.hooks }, () => ({ ok: true }));
  app.get("/spoofable", { hooks: rateLimit({ limit: 2, windowMs: 60_000, name: "spoof" }).hooks }, () => ({ ok: true }));
  app.get("/keyed", { hooks: apiKey.hooks }, () => ({ ok: true }));
  app.get("/broken-open", { hooks: throwingOpen.hooks }, () => ({ ok: true }));
  app.get("/broken-closed", { hooks: throwingClosed.hooks }, () => ({ ok: true }));
  app.get("/off", { hooks: off.hooks, responses: off.responses }, () => ({ ok: true }));
  app.post("/login", { deps: { limit: userDep }, responses: perUser.responses }, ({ limit }) => ({ remaining: limit?.remaining }));
  app.get("/open", {}, () => ({ free: true }));
  app.get("/fails", { hooks: rateLimit({ limit: 5, windowMs: 60_000, name: "fails" }).hooks }, () => {
    throw new HTTPException(404, "nope");
  });
  live = await serveForTest(app);
  const problemApp = new Velox({ logger: false, errorFormat: "problem" });
  problemApp.get("/p", { hooks: problemLimiter.hooks }, () => ({ ok: true }));
  problemLive = await serveForTest(problemApp);
});

afterAll(async () => {
  await live.close();
  await problemLive.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${live.url}${path}`, { headers });
const login = (username: string) =>
  fetch(`${live.url}/login`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `username=${encodeURIComponent(username)}` });

describe("rateLimit in memory, over real sockets", () => {
  it("allows the limit, then answers 429 with detail, Retry-After and the IETF fields; budgets are per route", async () => {
    const seen: Response[] = [];
    for (let i = 0; i < 4; i++) seen.push(await get("/limited/a"));
    expect(seen.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(seen[0]!.headers.get("ratelimit-policy")).toBe('"app";q=3;w=60');
    expect(seen.slice(0, 3).map((r) => r.headers.get("ratelimit"))).toEqual(['"app";r=2;t=20', '"app";r=1;t=40', '"app";r=0;t=60']);
    const refused = seen[3]!;
    expect(await refused.json()).toEqual({ detail: "Too many requests" });
    expect(refused.headers.get("content-type")).toBe("application/json");
    expect(Number(refused.headers.get("retry-after"))).toBe(20);
    expect(refused.headers.get("ratelimit")).toBe('"app";r=0;t=60');
    expect((await get("/limited/b")).status).toBe(200);
    expect((await get("/open")).headers.get("ratelimit")).toBeNull();
  });

  it("ignores a spoofed X-Forwarded-For without a trusted proxy", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get("/spoofable", { "x-forwarded-for": `203.0.113.${i}` })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
  });

  it("reads X-Forwarded-For through a trusted proxy, one budget per forwarded client", async () => {
    const a = [await get("/proxied", { "x-forwarded-for": "198.51.100.7" }), await get("/proxied", { "x-forwarded-for": "198.51.100.7" }), await get("/proxied", { "x-forwarded-for": "198.51.100.7" })];
    expect(a.map((r) => r.status)).toEqual([200, 200, 429]);
    expect((await get("/proxied", { "x-forwarded-for": "198.51.100.8" })).status).toBe(200);
  });

  it("counts API keys separately, and huge or garbage keys under the client address", async () => {
    expect((await get("/keyed", { "x-api-key": "key-one" })).status).toBe(200);
    expect((await get("/keyed", { "x-api-key": "key-one" })).status).toBe(200);
    expect((await get("/keyed", { "x-api-key": "key-one" })).status).toBe(429);
    expect((await get("/keyed", { "x-api-key": "key-two" })).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await get("/keyed", { "x-api-key": `${"k".repeat(6000)}${i}` })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await get("/keyed", { "x-api-key": "\u00ff\u00fe garbage" })).status).toBe(429);
  });

  it("a throwing key function fails open or closed as configured, logged once", async () => {
    expect((await get("/broken-open")).status).toBe(200);
    expect((await get("/broken-open")).status).toBe(200);
    const closed = await get("/broken-closed");
    expect(closed.status).toBe(503);
    expect(closed.headers.get("retry-after")).toBe("1");
    expect(await closed.json()).toEqual({ detail: "Rate limiting is unavailable" });
    expect(warnings.filter((w) => (w as { limiter?: string }).limiter === "broken-open")).toHaveLength(1);
    expect((await get("/open")).status).toBe(200);
  });

  it("limit 0 refuses everything, with Retry-After of the window", async () => {
    const res = await get("/off");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("30");
  });

  it("a dependency keyed by a form field limits per username, whatever the address", async () => {
    expect((await login("Alice")).status).toBe(200);
    const second = await login("alice");
    expect(await second.json()).toEqual({ remaining: 0 });
    expect(second.headers.get("ratelimit")).toBe('"user";r=0;t=60');
    expect((await login("ALICE")).status).toBe(429);
    expect((await login("bob")).status).toBe(200);
  });

  it("429s follow the app's errorFormat: problem+json", async () => {
    await fetch(`${problemLive.url}/p`);
    const res = await fetch(`${problemLive.url}/p`);
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 429, title: "Too Many Requests", detail: "Too many requests" });
  });

  it("documents 429 with its headers on limited routes only", () => {
    const app = new Velox({ logger: false });
    const router = new Router({ prefix: "/r", responses: perApp.responses });
    router.get("/x", {}, () => ({}));
    app.include(router);
    app.get("/y", {}, () => ({}));
    const doc = generateOpenAPI(app) as { paths: Record<string, { get: { responses: Record<string, { headers?: Record<string, unknown>; content?: unknown }> } }> };
    const limited = doc.paths["/r/x"]!.get.responses["429"]!;
    expect(Object.keys(limited.headers ?? {})).toEqual(["Retry-After", "RateLimit", "RateLimit-Policy"]);
    expect(limited.content).toMatchObject({ "application/json": { schema: expect.anything() } });
    expect(doc.paths["/y"]!.get.responses["429"]).toBeUndefined();
  });
});

describe("rateLimit options", () => {
  it("refuses nonsense at construction", () => {
    expect(() => rateLimit({ limit: -1, windowMs: 1000 })).toThrow(/limit/);
    expect(() => rateLimit({ limit: 1.5, windowMs: 1000 })).toThrow(/limit/);
    expect(() => rateLimit({ limit: 1, windowMs: 0 })).toThrow(/windowMs/);
    expect(() => rateLimit({ limit: 1, windowMs: Number.NaN })).toThrow(/windowMs/);
    expect(() => rateLimit({ limit: 1, windowMs: 1000, name: 'a"b' })).toThrow(/name/);
    const redisLike = { kind: "redis", consume: () => ({ allowed: true, tat: 0, remaining: 0, resetMs: 0, retryAfterMs: 0 }) };
    expect(() => rateLimit({ limit: 1, windowMs: 1000, store: redisLike })).toThrow(/failure/);
    expect(() => rateLimit({ limit: 1, windowMs: 1000, store: memoryStore() })).not.toThrow();
  });
});
