/**
 * The Redis-outage proof: the reference app with its cache on a redis-server of the test's own
 * (REDIS_URL), served by velox/server, under a short load of cached item reads (and some writes)
 * while that Redis is up, killed, back, and paused. Every response must be < 500, `/ready` must
 * stay 200 and say `degraded` while Redis is gone, and the Redis tier must be used again once it
 * is back — without restarting the app.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve, type ServerHandle } from "velox/server";
import { CacheTestRedis } from "../../../packages/velox/test/cache/own-redis.ts";
import { skipOwnRedis } from "../../../packages/velox/test/websocket/redis-helpers.ts";
import { createApp } from "./app.ts";
import type { Services } from "./services.ts";
import { testJobsEngine, testSettings } from "./testing/app-harness.ts";
import { cacheCheck, databaseCheck } from "./web/readiness.ts";

const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const PREFIX = "outage:";

describe.skipIf(skipOwnRedis)("reference app: cached reads through a Redis outage", () => {
  let redis: CacheTestRedis;
  let handle: ServerHandle;
  let jobs: ReturnType<typeof testJobsEngine>;
  let dir: string;
  let auth: Record<string, string>;
  const ids: number[] = [];

  const statuses = new Map<number, number>();
  /** `rounds` of concurrent GETs of single items, the popular list and the first page, plus a write every fifth round (from the second). */
  async function load(rounds: number): Promise<void> {
    for (let round = 0; round < rounds; round++) {
      const paths = [...ids.map((id) => `/items/${id}`), "/items/popular", "/items?page=1&size=20"];
      const writes = round % 5 === 1 ? [fetch(`${handle.url}/items`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ title: `w${round}`, price: 1 }) })] : [];
      const responses = await Promise.all([...paths.map((path) => fetch(`${handle.url}${path}`, { headers: auth })), ...writes]);
      for (const res of responses) {
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        await res.arrayBuffer();
      }
    }
  }
  const serverErrors = () => [...statuses].filter(([status]) => status >= 500).reduce((n, [, count]) => n + count, 0);
  /** `/ready`: always 200 here (Redis is not critical); its body says `ready` or `degraded`. */
  const ready = async () => {
    const res = await fetch(`${handle.url}/ready`);
    expect(res.status).toBe(200);
    return (await res.json()) as { status: string; checks: Record<string, { status: string }> };
  };
  async function redisKeys(): Promise<number> {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    try {
      return (await client.keys(`${PREFIX}k:*`)).length; // the test's own throwaway server: KEYS is fine here
    } finally {
      client.disconnect();
    }
  }
  async function until(predicate: () => Promise<boolean>, what: string): Promise<void> {
    const end = Date.now() + 8_000;
    while (!(await predicate())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    redis = await CacheTestRedis.start();
    dir = mkdtempSync(join(tmpdir(), "velox-outage-"));
    jobs = testJobsEngine("sqlite");
    // Short TTLs, so that reads keep reaching past the memory tier during the run (writes do too: they invalidate).
    const settings = testSettings({ DATABASE_URL: `sqlite:${join(dir, "app.db")}`, REDIS_URL: redis.url, CACHE_REDIS_PREFIX: PREFIX, ITEM_CACHE_TTL_MS: "1000", LIST_CACHE_TTL_MS: "1000" });
    const app = createApp({ settings, logger: false, jobsEngine: jobs.engine });
    handle = await serve(app, { port: 0, workers: 0, handleSignals: false, logger: quiet, readinessChecks: [databaseCheck(app), cacheCheck(app)] });
    const services = app.state.services as Services;
    const password = "outage-password-1";
    await services.users.create({ username: "ada", email: "ada@example.com", hashedPassword: await services.passwords.hash(password), isSuperuser: false, isActive: true, scopes: ["read", "write"] });
    const token = await fetch(`${handle.url}/auth/token`, { method: "POST", body: new URLSearchParams({ username: "ada", password, scope: "read write" }) });
    auth = { authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}` };
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${handle.url}/items`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ title: `item ${i}`, price: i }) });
      ids.push(((await res.json()) as { id: number }).id);
    }
  });
  afterAll(async () => {
    await handle?.shutdown();
    await jobs?.cleanup();
    await redis?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("Redis up: reads are cached in Redis, /ready is not degraded", async () => {
    await load(5);
    expect(serverErrors()).toBe(0);
    await until(async () => {
      await load(1);
      return (await redisKeys()) > 0;
    }, "entries in Redis");
    expect((await ready()).status).toBe("ready");
  });

  it("Redis killed: reads and writes keep working (0 5xx), /ready says degraded", async () => {
    await redis.stop();
    await load(10);
    expect(serverErrors()).toBe(0);
    const report = await ready();
    expect(report.status).toBe("degraded");
    expect(report.checks["cache-redis"]?.status).toBe("fail");
  });

  it("Redis back: recovery without a restart", async () => {
    await redis.start();
    await until(async () => {
      await load(1);
      return (await ready()).status === "ready";
    }, "readiness to recover");
    await until(async () => {
      await load(1);
      return (await redisKeys()) > 0;
    }, "the Redis tier to be used again");
    expect(serverErrors()).toBe(0);
  });

  it("Redis paused (black hole): reads keep answering, then recover", async () => {
    redis.pause();
    try {
      await load(5);
      expect(serverErrors()).toBe(0);
      expect((await ready()).status).toBe("degraded");
    } finally {
      redis.resume();
    }
    await until(async () => {
      await load(1);
      return (await ready()).status === "ready";
    }, "readiness to recover after the pause");
    expect(serverErrors()).toBe(0);
    expect([...statuses.keys()].sort()).toEqual([200, 201]);
  });
});
