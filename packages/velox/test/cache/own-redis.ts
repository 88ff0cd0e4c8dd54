import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "../websocket/redis-helpers.ts";

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * A redis-server of the test's own (own port, no persistence, own dir) it may kill, pause
 * (SIGSTOP: a black hole that accepts bytes and never answers) and start again on the same port.
 *
 * @example
 * ```ts
 * const redis = await CacheTestRedis.start();
 * redis.pause(); redis.resume(); await redis.stop(); await redis.start(); await redis.stop();
 * ```
 */
export class CacheTestRedis {
  #child: ChildProcess | null = null;
  readonly #dir = mkdtempSync(join(tmpdir(), "velox-cache-redis-"));
  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<CacheTestRedis> {
    const redis = new CacheTestRedis(await freePort());
    await redis.start();
    return redis;
  }

  async start(): Promise<void> {
    this.#child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.#dir], { stdio: "ignore" });
    const deadline = Date.now() + 5_000;
    while (!(await answers(this.url))) {
      if (Date.now() > deadline) throw new Error("own redis-server did not start");
      await new Promise((r) => setTimeout(r, 30));
    }
  }

  pause(): void {
    this.#child?.kill("SIGSTOP");
  }

  resume(): void {
    this.#child?.kill("SIGCONT");
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (child === null || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGCONT");
      child.kill("SIGKILL");
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
