import { describe, expect, it } from "vitest";
import { loadSettings } from "../settings.ts";
import { describeEachApp } from "../testing/app-harness.ts";

const form = (username: string, password = "wrong-password-1") => ({
  form: { username, password },
});

describeEachApp(
  "login rate limits",
  (t) => {
    it("limits attempts per username (case-folded) with 429, Retry-After and the IETF fields", async () => {
      const client = t.client;
      const statuses: number[] = [];
      for (const name of ["victim", "Victim", "VICTIM "]) statuses.push((await client.post("/auth/token", form(name))).status);
      expect(statuses).toEqual([401, 401, 429]);
      const refused = await client.post("/auth/token", form("victim"));
      expect(refused.status).toBe(429);
      expect(refused.json()).toEqual({ detail: "Too many login attempts" });
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expect(refused.headers["ratelimit-policy"]).toBe('"login-username";q=2;w=60');
      expect((await client.post("/auth/token", form("someone-else"))).status).toBe(401);
    });

    it("limits attempts per client address before reading the form, whatever X-Forwarded-For says", async () => {
      const client = t.client;
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await client.post("/auth/token", { ...form(`user-${i}`), headers: { "x-forwarded-for": `203.0.113.${i}` } })).status);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      const refused = await client.post("/auth/token", { form: { username: "x" } });
      expect(refused.status).toBe(429);
      expect(refused.headers.ratelimit).toMatch(/^"login-address";r=0;t=\d+$/);
    });

    it("documents the 429 of POST /auth/token", async () => {
      const doc = (await t.client.get("/openapi.json")).json() as { paths: Record<string, { post?: { responses: Record<string, unknown> } }> };
      expect(doc.paths["/auth/token"]!.post!.responses).toHaveProperty("429");
    });
  },
  { LOGIN_RATE_LIMIT_PER_USERNAME: "2", LOGIN_RATE_LIMIT_PER_ADDRESS: "5", LOGIN_RATE_LIMIT_WINDOW_SECONDS: "60" },
);

describe("login rate-limit settings", () => {
  it("has defaults loose enough for people and tight enough for password guessing", () => {
    const settings = (env: Record<string, string>) => loadSettings({ envFile: false, warn: () => undefined, env: { NODE_ENV: "test", ...env } });
    expect(settings({}).loginRateLimit).toEqual({ perAddress: 100, perUsername: 10, windowSeconds: 300, failure: "closed" });
    expect(() => settings({ LOGIN_RATE_LIMIT_PER_USERNAME: "0" })).toThrow(/LOGIN_RATE_LIMIT_PER_USERNAME/);
  });
});
