import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "velox/testing";
import { app } from "./app.ts";

describe("rate-limit example", () => {
  const client = new TestClient(app);
  beforeAll(() => client.start());
  afterAll(() => client.close());

  it("sends the IETF RateLimit fields on every limited response", async () => {
    const res = await client.get("/hello");
    expect(res.status).toBe(200);
    expect(res.headers["ratelimit-policy"]).toBe('"api";q=60;w=60');
    expect(res.headers.ratelimit).toMatch(/^"api";r=\d+;t=\d+$/);
  });

  it("refuses the 4th login attempt for one username with 429 and Retry-After", async () => {
    const attempt = (username: string) => client.post("/login", { form: { username, password: "x" } });
    expect((await attempt("ada")).json()).toEqual({ user: "ada", attemptsLeft: 2 });
    await attempt("Ada");
    await attempt("ADA");
    const refused = await attempt("ada");
    expect(refused.status).toBe(429);
    expect(refused.json()).toEqual({ detail: "Too many login attempts" });
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect((await attempt("grace")).status).toBe(200);
  });

  it("counts /reports per API key", async () => {
    const get = (key: string) => client.get("/reports/daily", { headers: { "x-api-key": key } });
    for (let i = 0; i < 5; i++) expect((await get("key-a")).status).toBe(200);
    expect((await get("key-a")).status).toBe(429);
    expect((await get("key-b")).status).toBe(200);
  });

  it("counts the decisions in /metrics (after the tests above: 3 logins allowed and 1 refused for ada, 1 for grace)", async () => {
    const text = (await client.get("/metrics")).text;
    expect(text).toContain('velox_ratelimit_decisions_total{limiter="login",outcome="allowed"} 4');
    expect(text).toContain('velox_ratelimit_decisions_total{limiter="login",outcome="limited"} 1');
    expect(text).toContain('velox_ratelimit_decisions_total{limiter="reports",outcome="limited"} 1');
  });

  it("documents the 429 in OpenAPI", async () => {
    const doc = (await client.get("/openapi.json")).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(doc.paths["/login"]!.post!.responses).toHaveProperty("429");
    expect(doc.paths["/reports/daily"]!.get!.responses).toHaveProperty("429");
  });
});
