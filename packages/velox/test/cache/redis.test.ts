/**
 * velox/cache over the shared Redis (127.0.0.1:6379, or VELOX_TEST_REDIS_URL), each test under
 * its own key prefix, deleted afterwards: tiers, cross-process invalidation, the stampede lock
 * (two caches in this process, and two real processes), thousands of keys, hostile entries.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCache, type Cache } from "../../src/cache/index.ts";
import { deletePrefix, skipRedis, TEST_REDIS_URL } from "../websocket/redis-helpers.ts";

const prefix = `velox-test:cache:${randomBytes(6).toString("hex")}:`;
const raw = new Redis(TEST_REDIS_URL);
raw.on("error", () => undefined);
const opened: Cache[] = [];
async function open(options: Parameters<typeof createCache>[0] = {}): Promise<Cache> {
  const cache = await createCache({ ...options, redis: { url: TEST_REDIS_URL, prefix, ...options.redis } });
  opened.push(cache);
  return cache;
}
async function until(predicate: () => Promise<boolean> | boolean): Promise<void> {
  const end = Date.now() + 5_000;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}
async function countKeys(pattern: string): Promise<number> {
  let cursor = "0";
  let n = 0;
  do {
    const [next, keys] = await raw.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== "0");
  return n;
}

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
  await deletePrefix(TEST_REDIS_URL, prefix.slice(0, -1));
  raw.disconnect();
});

describe.skipIf(skipRedis)("velox/cache on Redis", () => {
  it("a value written by one process is read by another, and a tag invalidation drops both memory tiers", async () => {
    const a = await open();
    const b = await open();
    let calls = 0;
    const load = () => ({ id: 1, name: `v${++calls}` });
    expect(await a.getOrSet("item:1", load, { tags: ["items"] })).toEqual({ id: 1, name: "v1" });
    expect(await b.getOrSet("item:1", load, { tags: ["items"] })).toEqual({ id: 1, name: "v1" });
    expect(calls).toBe(1);
    const stored = JSON.parse((await raw.get(`${prefix}k:item:1`))!) as { v: unknown };
    expect(stored.v).toEqual({ id: 1, name: "v1" });
    await a.invalidateTags(["items"]);
    await until(async () => (await b.get("item:1")) === undefined);
    expect(await b.getOrSet("item:1", load)).toEqual({ id: 1, name: "v2" });
    // b's write reaches a's memory tier too: a's stale copy is dropped, the new value read from Redis.
    await until(async () => ((await a.get<{ name: string }>("item:1"))?.name ?? "") === "v2");
  });

  it("1,000 concurrent misses in each of two caches make one source call in all", async () => {
    const a = await open();
    const b = await open();
    let calls = 0;
    const load = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 50));
      return "value";
    };
    const all = await Promise.all([...Array.from({ length: 1000 }, () => a.getOrSet("hot", load)), ...Array.from({ length: 1000 }, () => b.getOrSet("hot", load))]);
    expect(calls).toBe(1);
    expect(all.every((v) => v === "value")).toBe(true);
  });

  it("a lock left by a process that died expires, and the waiter then loads the value itself", async () => {
    // lockMs far above the test's timeout: only taking the expired lock over lets this finish.
    const cache = await open({ memory: false, redis: { lockMs: 60_000 } });
    await raw.set(`${prefix}l:orphan`, "dead-process-token", "PX", 300);
    let calls = 0;
    expect(await cache.getOrSet("orphan", () => (calls++, "loaded"))).toBe("loaded");
    expect(calls).toBe(1);
    expect(await raw.exists(`${prefix}l:orphan`)).toBe(0);
  });

  it("two processes missing one key at once call the source once", async () => {
    const fixture = fileURLToPath(new URL("./fixtures/stampede.ts", import.meta.url));
    const key = "stampede";
    const children = [0, 1].map(() => spawn(process.execPath, ["--conditions=velox-source", "--import", "tsx", fixture, TEST_REDIS_URL, prefix, key], { stdio: ["pipe", "pipe", "inherit"] }));
    const lines = children.map((child) => createInterface({ input: child.stdout! })[Symbol.asyncIterator]());
    for (const line of lines) expect((await line.next()).value).toBe("ready");
    for (const child of children) child.stdin!.write("go\n");
    const results = await Promise.all(lines.map(async (line) => JSON.parse((await line.next()).value as string) as number[]));
    expect(await raw.get(`${prefix}calls`)).toBe("1");
    // Both processes got the one value the single source call produced.
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toHaveLength(1);
  });

  it("invalidates thousands of keys by tag and by prefix without KEYS, leaving the others", async () => {
    // A bulk write: 5,000 commands at once may queue past the default 50 ms budget on a busy machine.
    const cache = await open({ memory: false, redis: { timeoutMs: 5_000 } });
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 3000; i++) writes.push(cache.set(`big:${i}`, i, { tags: [i % 3 === 0 ? "third" : "rest"] }));
    for (let i = 0; i < 2000; i++) writes.push(cache.set(`other:${i}`, i));
    writes.push(cache.set("big*", "literal"), cache.set("bigger", "kept"));
    await Promise.all(writes);
    expect(await countKeys(`${prefix}k:big:*`)).toBe(3000);
    await cache.invalidateTags(["third"]);
    expect(await countKeys(`${prefix}k:big:*`)).toBe(2000);
    expect(await raw.exists(`${prefix}t:third`)).toBe(0);
    await cache.deletePrefix("big:");
    expect(await countKeys(`${prefix}k:big:*`)).toBe(0);
    expect(await countKeys(`${prefix}k:other:*`)).toBe(2000);
    // A prefix is a literal, not a pattern: "big*" deletes the key "big*" only.
    await cache.deletePrefix("big*");
    expect(await cache.get("big*")).toBeUndefined();
    expect(await cache.get("bigger")).toBe("kept");
  });

  it("Redis only: a stale entry within grace is served while one background refresh replaces it", async () => {
    const cache = await open({ memory: false, ttl: 50, grace: 60_000, jitter: 0 });
    let n = 0;
    const load = async () => ++n;
    expect(await cache.getOrSet("swr", load)).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(await Promise.all(Array.from({ length: 20 }, () => cache.getOrSet("swr", load)))).toEqual(Array(20).fill(1));
    await until(async () => (await cache.get("swr")) === 2);
    expect(n).toBe(2);
  });

  it("a stored value failing its schema, or a hostile entry, is a miss that the source refills", async () => {
    const cache = await open({ memory: false });
    const User = z.object({ id: z.number(), name: z.string() });
    await raw.set(`${prefix}k:user:1`, JSON.stringify({ v: { id: "1", name: 5 }, f: Date.now() + 60_000, g: Date.now() + 60_000, t: [] }));
    await raw.set(`${prefix}k:user:2`, "(function(){ throw 1 })()");
    await raw.set(`${prefix}k:user:3`, '{"v":{"__proto__":{"polluted":1}},"f":9e15,"g":9e15,"t":[]}');
    for (const id of [1, 2]) expect(await cache.getOrSet(`user:${id}`, () => ({ id, name: "fresh" }), { schema: User })).toEqual({ id, name: "fresh" });
    expect(await cache.getOrSet("user:1", () => ({ id: 1, name: "again" }), { schema: User })).toEqual({ id: 1, name: "fresh" });
    expect(await cache.get("user:3")).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
