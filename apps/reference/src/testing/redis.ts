import { Redis } from "ioredis";

const REQUIRED = process.env.VELOX_REQUIRE_SERVICES === "1";

/**
 * The shared Redis for tests (`VELOX_TEST_REDIS_URL`, default 127.0.0.1:6379), probed once:
 * `skip` when it is unreachable and not required (CI sets VELOX_REQUIRE_SERVICES=1, which turns
 * an unreachable Redis into a failure). Tests isolate themselves with a random key prefix.
 *
 * @example
 * ```ts
 * const redis = await redisForTests();
 * describe.skipIf(redis.skip)("over Redis", () => { ... });
 * ```
 */
export async function redisForTests(): Promise<{ url: string; skip: boolean }> {
  const url = process.env.VELOX_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on("error", () => undefined);
  let ok = false;
  try {
    await client.connect();
    ok = (await client.ping()) === "PONG";
  } catch {
    ok = false;
  } finally {
    client.disconnect();
  }
  if (!ok && REQUIRED) throw new Error(`Redis is required (VELOX_REQUIRE_SERVICES=1) but unreachable at ${url}`);
  if (!ok) console.warn(`[velox-reference] Redis is unreachable at ${url}: Redis chat suites are SKIPPED.`);
  return { url, skip: !ok };
}

/** Deletes this test's keys (SCAN + DEL on its own prefix only). */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}
