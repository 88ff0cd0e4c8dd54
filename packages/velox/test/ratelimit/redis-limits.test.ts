import { randomBytes } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Velox } from "../../src/index.ts";
import { rateLimit, redisStore, type RateLimiter } from "../../src/ratelimit/index.ts";
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

  it("costs one script call per request: EVALSHA, with EVAL once after NOSCRIPT", async () => {
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
