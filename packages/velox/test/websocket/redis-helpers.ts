import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { Redis } from "ioredis";

/** The shared Redis the suite may use (with a per-test prefix), as CI provides it. */
export const TEST_REDIS_URL = process.env.VELOX_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const REQUIRED = process.env.VELOX_REQUIRE_SERVICES === "1";

async function probe(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export const redisReachable = await probe(TEST_REDIS_URL);
/** True when Redis suites must be skipped (unreachable and not required). */
export const skipRedis = !redisReachable && !REQUIRED;
if (skipRedis) {
  console.warn(`\n[velox] Redis is unreachable at ${TEST_REDIS_URL}: Redis WebSocket suites are SKIPPED. Set VELOX_REQUIRE_SERVICES=1 to make that a failure.\n`);
}

/** True when a `redis-server` binary is on PATH (fault tests run their own). */
export const hasRedisServer = (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(`${dir}/redis-server`));
/** True when fault tests must be skipped (no redis-server and services not required). */
export const skipOwnRedis = !hasRedisServer && !REQUIRED;
if (skipOwnRedis) console.warn("\n[velox] redis-server is not installed: the Redis fault tests are SKIPPED (apt-get install -y redis-server).\n");

/** A prefix no other test uses. */
export function testPrefix(): string {
  return `velox-test:ws:${randomBytes(6).toString("hex")}`;
}

/** Deletes every key under `prefix` (SCAN + DEL on our own prefix only). */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== "0");
  } catch {
    // the server is gone (a fault test stopped it): nothing left to clean
  } finally {
    client.disconnect();
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A redis-server of this test's own, on its own port, without persistence: stop and start it at will. */
export class OwnRedis {
  private child: ChildProcess | null = null;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.start();
    return redis;
  }

  async start(): Promise<void> {
    this.child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    const deadline = Date.now() + 5000;
    while (!(await probe(this.url))) {
      if (Date.now() > deadline) throw new Error("own redis-server did not start");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGSTOP: the socket stays open and nothing answers (a black hole); `resume` undoes it. */
  pause(): void {
    this.child?.kill("SIGSTOP");
  }

  resume(): void {
    this.child?.kill("SIGCONT");
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child === null || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }
}
