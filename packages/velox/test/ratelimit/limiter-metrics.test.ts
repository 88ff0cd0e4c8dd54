import { describe, expect, it } from "vitest";
import { Velox } from "../../src/index.ts";
import { metrics } from "../../src/metrics/index.ts";
import { DECISIONS, rateLimit, rateLimitMetrics, type RateLimitStore } from "../../src/ratelimit/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const quiet = { error() {}, info() {}, warn() {} };
const broken: RateLimitStore = {
  kind: "redis",
  consume: () => Promise.reject(new Error("connection refused")),
};

const countOf = (text: string, limiter: string, outcome: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${DECISIONS}{`) && l.includes(`limiter="${limiter}"`) && l.includes(`outcome="${outcome}"`));
  return line === undefined ? undefined : Number(line.split(" ").at(-1));
};

describe("rate-limit decisions in velox/metrics", () => {
  it("counts allowed, limited, store_error and key_error per limiter, as a scrape shows", async () => {
    const app = new Velox({ logger: quiet });
    const observed = metrics({ defaultMetrics: false });
    app.register(observed);
    const small = rateLimit({ name: "small", limit: 3, windowMs: 60_000 });
    const down = rateLimit({ name: "down", limit: 3, windowMs: 60_000, store: broken, failure: "open" });
    const badKey = rateLimit({ name: "bad-key", limit: 3, windowMs: 60_000, failure: "closed", key: () => { throw new Error("no key"); } });
    const unwatched = rateLimit({ name: "unwatched", limit: 3, windowMs: 60_000 });
    rateLimitMetrics(observed, small, down);
    rateLimitMetrics(observed, badKey); // a second call joins the same counter
    app.get("/small", { hooks: small.hooks }, () => ({ ok: true }));
    app.get("/down", { hooks: down.hooks }, () => ({ ok: true }));
    app.get("/bad-key", { hooks: badKey.hooks }, () => ({ ok: true }));
    app.get("/unwatched", { hooks: unwatched.hooks }, () => ({ ok: true }));
    const client = new TestClient(app);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await client.get("/small")).status);
    for (let i = 0; i < 2; i++) statuses.push((await client.get("/down")).status);
    statuses.push((await client.get("/bad-key")).status);
    statuses.push((await client.get("/unwatched")).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429, 200, 200, 503, 200]);

    const text = (await client.get("/metrics")).text;
    expect(countOf(text, "small", "allowed")).toBe(3);
    expect(countOf(text, "small", "limited")).toBe(2);
    expect(countOf(text, "small", "store_error")).toBe(0);
    expect(countOf(text, "down", "store_error")).toBe(2);
    expect(countOf(text, "down", "allowed")).toBe(0);
    expect(countOf(text, "bad-key", "key_error")).toBe(1);
    expect(text).not.toContain('limiter="unwatched"');
    expect(text).toContain(`# TYPE ${DECISIONS} counter`);
    await app.close();
  });

  it("stops counting when detached, and registers nothing without the call", async () => {
    const observed = metrics({ defaultMetrics: false, path: false });
    const limiter = rateLimit({ name: "detached", limit: 10, windowMs: 60_000 });
    const app = new Velox({ logger: quiet });
    app.register(observed);
    app.get("/x", { hooks: limiter.hooks }, () => ({ ok: true }));
    const client = new TestClient(app);
    expect(await observed.scrape()).not.toContain(DECISIONS);
    const stop = rateLimitMetrics(observed, limiter);
    await client.get("/x");
    expect(countOf(await observed.scrape(), "detached", "allowed")).toBe(1);
    stop();
    await client.get("/x");
    expect(countOf(await observed.scrape(), "detached", "allowed")).toBeUndefined();
    await app.close();
  });
});
