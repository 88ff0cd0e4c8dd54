import { randomBytes } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Velox } from "../../src/index.ts";
import { gcraRule, rateLimit, redisStore, type RateLimiter } from "../../src/ratelimit/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { deletePrefix, OwnRedis, skipOwnRedis, skipRedis, TEST_REDIS_URL } from "../websocket/redis-helpers.ts";

const quiet = { error() {}, info() {}, warn() {} };

async function serveLimited(limiters: Record<string, RateLimiter>): Promise<LiveServer> {
  const app = new Velox({ logger: quiet });
  for (const [path, limiter] of Object.entries(limiters)) app.get(path, { hooks: limiter.hooks }, () => ({ ok: true }));
  app.addHook("onClose", async () => {
    for (const limiter of Object.values(limiters)) await limiter.close();
  });
  return serveForTest(app);
}

describe.skipIf(skipRedis)("rateLimit on the shared Redis", () => {
  const prefix = `velox-test:rl:${randomBytes(6).toString("hex")}`;
  let one: LiveServer;
  let two: LiveServer;
  // A generous timeout: this test counts, and a loaded machine must not turn a slow answer into a 503.
  const make = () => rateLimit({ limit: 10, windowMs: 60_000, name: "shared", store: redisStore({ url: TEST_REDIS_URL, prefix: `${prefix}:`, timeoutMs: 2_000 }), failure: "closed" });

  beforeAll(async () => {
    one = await serveLimited({ "/shared": make() });
    two = await serveLimited({ "/shared": make() });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  it("two app instances sharing Redis allow the limit between them, within ±1", async () => {
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => fetch(`${(i % 2 === 0 ? one : two).url}/shared`)));
    const allowed = responses.filter((r) => r.status === 200);
    expect(allowed.length).toBeGreaterThanOrEqual(9);
    expect(allowed.length).toBeLessThanOrEqual(11);
    expect(responses.filter((r) => r.status === 429).length).toBe(40 - allowed.length);
    const remaining = allowed.map((r) => Number(/r=(\d+)/.exec(r.headers.get("ratelimit") ?? "")?.[1])).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: allowed.length }, (_, i) => i));
    const refused = responses.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(5);
    expect(refused.headers.get("ratelimit-policy")).toBe('"shared";q=10;w=60');
  });
});

describe.skipIf(skipOwnRedis)("rateLimit on a redis-server of the test's own", () => {
  let redis: OwnRedis;
  let admin: Redis;
  let live: LiveServer;
  let blackHole: Server;
  const held: Socket[] = [];
  const wrongType = `rl-wrong:`;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    admin = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    admin.on("error", () => undefined);
    blackHole = createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
    const blackHoleClient = new Redis({ port: (blackHole.address() as { port: number }).port, host: "127.0.0.1", lazyConnect: false });
    blackHoleClient.on("error", () => undefined);
    const userClient = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    userClient.on("error", () => undefined);
    live = await serveLimited({
      "/counted": rateLimit({ limit: 1000, windowMs: 3_600_000, name: "counted", store: redisStore({ url: redis.url }), failure: "closed" }),
      "/open": rateLimit({ limit: 1000, windowMs: 60_000, name: "open", store: redisStore({ url: redis.url }), failure: "open" }),
      "/closed": rateLimit({ limit: 1000, windowMs: 60_000, name: "closed", store: redisStore({ url: redis.url }), failure: "closed" }),
      "/wrong-type": rateLimit({ limit: 5, windowMs: 60_000, name: "wrong", store: redisStore({ client: userClient, prefix: wrongType }), failure: "closed" }),
      "/black-hole": rateLimit({ limit: 5, windowMs: 60_000, name: "hole", store: redisStore({ client: blackHoleClient, timeoutMs: 50 }), failure: "open" }),
    });
    live.server.once("close", () => {
      blackHoleClient.disconnect();
      userClient.disconnect();
    });
  });
  afterAll(async () => {
    await live?.close();
    admin?.disconnect();
    for (const socket of held) socket.destroy();
    blackHole?.close();
    await redis?.stop();
  });

  const statOf = async (command: string): Promise<number> => {
    const info = await admin.info("commandstats");
    return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  };

  it("sequential requests cost one script call each: EVALSHA, with EVAL once after NOSCRIPT", async () => {
    await admin.config("RESETSTAT");
    for (let i = 0; i < 20; i++) expect((await fetch(`${live.url}/counted`)).status).toBe(200);
    const evalsha = await statOf("evalsha");
    const evals = await statOf("eval");
    expect(evals).toBe(1);
    expect(evalsha).toBe(20);
    await admin.script("FLUSH");
    expect((await fetch(`${live.url}/counted`)).status).toBe(200);
    expect(await statOf("eval")).toBe(2);
    const res = await fetch(`${live.url}/counted`);
    // t counts down in real time: a loaded machine may cross a second boundary during the test.
    expect(res.headers.get("ratelimit")).toMatch(/^"counted";r=978;t=(79|80)$/);
  });

  it("a Redis error reply (WRONGTYPE on the bucket) makes the policy answer, not a 500", async () => {
    await admin.lpush(`${wrongType}wrong:127.0.0.1`, "not a number");
    const res = await fetch(`${live.url}/wrong-type`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ detail: "Rate limiting is unavailable" });
  });

  it("a black-holed Redis times out within timeoutMs and fails open", async () => {
    const res = await fetch(`${live.url}/black-hole`);
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit")).toBeNull();
  });

  it("with its Redis gone, a fail-open limiter lets requests through and a fail-closed one answers 503; both recover", async () => {
    expect((await fetch(`${live.url}/open`)).status).toBe(200);
    expect((await fetch(`${live.url}/closed`)).status).toBe(200);
    await redis.stop();
    const open = await fetch(`${live.url}/open`);
    expect(open.status).toBe(200);
    expect(open.headers.get("ratelimit")).toBeNull();
    const closed = await fetch(`${live.url}/closed`);
    expect(closed.status).toBe(503);
    expect(closed.headers.get("retry-after")).toBe("1");
    await redis.start();
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && (status = (await fetch(`${live.url}/closed`)).status) !== 200) await new Promise((r) => setTimeout(r, 50));
    expect(status).toBe(200);
    expect((await fetch(`${live.url}/open`)).headers.get("ratelimit")).toMatch(/^"open";r=\d+;t=\d+$/);
  });
});

describe.skipIf(skipOwnRedis)("rateLimit on a redis-server of the test's own, paused (SIGSTOP)", () => {
  let redis: OwnRedis;
  let live: LiveServer;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    live = await serveLimited({
      "/open": rateLimit({ limit: 1000, windowMs: 60_000, name: "p-open", store: redisStore({ url: redis.url, timeoutMs: 100 }), failure: "open" }),
      "/closed": rateLimit({ limit: 1000, windowMs: 60_000, name: "p-closed", store: redisStore({ url: redis.url, timeoutMs: 100 }), failure: "closed" }),
    });
  });
  afterAll(async () => {
    redis?.resume();
    await live?.close();
    await redis?.stop();
  });

  const burst = (path: string) => Promise.all(Array.from({ length: 25 }, () => fetch(`${live.url}${path}`)));

  // The store's own connection writes a turn's commands in one corked write: a burst must still get
  // one answer each, and a paused server must time every one of them out, not leave any hanging.
  it("a burst is counted exactly; paused, every request is answered within the timeout by the policy; resumed, counting goes on", async () => {
    const before = await burst("/closed");
    expect(before.map((r) => r.status)).toEqual(Array(25).fill(200));
    const remaining = before.map((r) => Number(/r=(\d+)/.exec(r.headers.get("ratelimit") ?? "")?.[1])).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: 25 }, (_, i) => 975 + i));
    expect((await burst("/open")).every((r) => r.status === 200)).toBe(true);

    redis.pause();
    const started = performance.now();
    const [open, closed] = await Promise.all([burst("/open"), burst("/closed")]);
    const took = performance.now() - started;
    expect(open.map((r) => r.status)).toEqual(Array(25).fill(200));
    expect(open.every((r) => r.headers.get("ratelimit") === null)).toBe(true);
    expect(closed.map((r) => r.status)).toEqual(Array(25).fill(503));
    expect(took).toBeLessThan(2_000);

    redis.resume();
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && (status = (await fetch(`${live.url}/closed`)).status) !== 200) await new Promise((r) => setTimeout(r, 50));
    expect(status).toBe(200);
    const after = await burst("/closed");
    expect(after.every((r) => r.status === 200)).toBe(true);
  });
});

describe.skipIf(skipOwnRedis)("rateLimit on its own redis-server: one script call per turn", () => {
  let redis: OwnRedis;
  let admin: Redis;
  let live: LiveServer;
  const prefix = "rl-batch:";

  beforeAll(async () => {
    redis = await OwnRedis.start();
    admin = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    const store = () => redisStore({ url: redis.url, prefix, timeoutMs: 2_000 });
    // The raw header as the key (byHeader would hash it), so the test can name the bucket.
    const byUser = (ctx: { req: { headers: Record<string, unknown> } }) => ctx.req.headers["x-user"] as string | undefined;
    live = await serveLimited({
      "/ten": rateLimit({ limit: 10, windowMs: 60_000, name: "ten", store: store(), failure: "closed" }),
      "/mixed": rateLimit({ limit: 5, windowMs: 60_000, name: "mixed", key: byUser, store: store(), failure: "closed" }),
      "/legacy": rateLimit({ limit: 2, windowMs: 60_000, name: "legacy", key: byUser, store: store(), failure: "closed" }),
    });
  });
  afterAll(async () => {
    await live?.close();
    admin?.disconnect();
    await redis?.stop();
  });

  const calls = async (): Promise<number> => {
    const stats = await admin.info("commandstats");
    return Number(/cmdstat_evalsha:calls=(\d+)/.exec(stats)?.[1] ?? 0) + Number(/cmdstat_eval:calls=(\d+)/.exec(stats)?.[1] ?? 0);
  };

  // Regression: the first batched script rounded a bucket's stored time (Lua's tostring keeps 14
  // digits, 0.1 ms at today's clock), and the next request of the same call, at the same `now`,
  // found the bucket 0.013 ms too full: 9 of a burst of 10 allowed, remaining 9, 7, 6 ... (no 8).
  it("a burst of concurrent requests is counted exactly: 10 allowed, remaining 9 … 0", async () => {
    const responses = await Promise.all(Array.from({ length: 40 }, () => fetch(`${live.url}/ten`)));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(10);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(30);
    const remaining = responses.filter((r) => r.status === 200).map((r) => Number(/r=(\d+)/.exec(r.headers.get("ratelimit") ?? "")?.[1]));
    expect(remaining.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("decides every request of one turn in one script call (and one more, EVAL, when Redis lacks the script), one GET and one SET per bucket", async () => {
    const store = redisStore({ url: redis.url, prefix: "rl-turn:" });
    try {
      const rule = gcraRule(10, 60_000);
      const scope = store.scoped!("turn:");
      await admin.script("FLUSH");
      await admin.config("RESETSTAT");
      const decisions = await Promise.all(Array.from({ length: 32 }, (_, i) => scope.consume(`k${i % 4}`, rule, 1)));
      expect(await calls()).toBe(2); // EVALSHA → NOSCRIPT → EVAL, for all 32
      // Four buckets: each read once and written once, however many of the 32 it counted.
      const stats = await admin.info("commandstats");
      expect(Number(/cmdstat_get:calls=(\d+)/.exec(stats)?.[1])).toBe(4);
      expect(Number(/cmdstat_set:calls=(\d+)/.exec(stats)?.[1])).toBe(4);
      expect(decisions.filter((d) => d.allowed)).toHaveLength(32);
      expect(decisions.slice(-4).map((d) => d.remaining)).toEqual([2, 2, 2, 2]);
      await Promise.all(Array.from({ length: 8 }, () => scope.consume("k0", rule, 1)));
      expect(await calls()).toBe(3);
    } finally {
      await store.close!();
    }
  });

  it("a bucket holding something else (a list) fails its own request alone, not the others of its call", async () => {
    await admin.lpush(`${prefix}mixed:bad`, "not a number");
    const users = ["bad", "u1", "u2", "u3", "u4", "u5", "bad", "u6"];
    const responses = await Promise.all(users.map((user) => fetch(`${live.url}/mixed`, { headers: { "x-user": user } })));
    expect(responses.map((r) => r.status)).toEqual(users.map((user) => (user === "bad" ? 503 : 200)));
  });

  it("reads buckets stored by the previous script (milliseconds with one decimal), so both can run during a rolling deploy", async () => {
    const [seconds = 0, micros = 0] = (await admin.time()).map(Number);
    const nowMs = seconds * 1000 + micros / 1000;
    // One of two requests spent 1 s ago, as the previous script stored it: tat = now + 29 s.
    await admin.set(`${prefix}legacy:old`, (nowMs + 29_000).toFixed(1), "PX", 60_000);
    const first = await fetch(`${live.url}/legacy`, { headers: { "x-user": "old" } });
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit")).toMatch(/^"legacy";r=0;t=(59|60)$/);
    expect((await fetch(`${live.url}/legacy`, { headers: { "x-user": "old" } })).status).toBe(429);
    const stored = await admin.get(`${prefix}legacy:old`);
    expect(stored).toMatch(/^\d{13}\.\d{3}$/);
  });

  it("frames keys by their UTF-8 bytes: a non-ASCII key next to others in one call is its own bucket", async () => {
    const store = redisStore({ url: redis.url, prefix: "rl-utf8:" });
    try {
      const rule = gcraRule(2, 60_000);
      const scope = store.scoped!("u:");
      const keys = ["ünï-ユーザー", "plain", "ünï-ユーザー", "ünï-ユーザー", "plain"];
      const decisions = await Promise.all(keys.map((key) => scope.consume(key, rule, 1)));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, true]);
      expect(await admin.exists("rl-utf8:u:ünï-ユーザー", "rl-utf8:u:plain")).toBe(2);
    } finally {
      await store.close!();
    }
  });

  it("more concurrent decisions than one call takes (32) are split over several calls, still exact", async () => {
    const store = redisStore({ url: redis.url, prefix: "rl-many:" });
    try {
      const rule = gcraRule(300, 60_000);
      const scope = store.scoped!("many:");
      const decisions = await Promise.all(Array.from({ length: 700 }, () => scope.consume("k", rule, 1)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(300);
      expect(decisions.filter((d) => d.allowed).map((d) => d.remaining).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
      const refused = decisions.find((d) => !d.allowed)!;
      expect(refused.retryAfterMs).toBeGreaterThan(150);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(200);
    } finally {
      await store.close!();
    }
  });
});
