import type { Redis, RedisOptions } from "ioredis";
import { VeloxError } from "../errors.ts";
import { importOptionalPeer } from "../optional-peer.ts";
import { Breaker, type BreakerOptions } from "./breaker.ts";
import { Cache } from "./cache.ts";
import { MemoryTier } from "./memory-tier.ts";
import { parseInvalidation, RedisTier } from "./redis-tier.ts";

/** Options of the Redis tier. */
export interface RedisCacheOptions {
  /** A `redis://` URL (the cache opens and closes its connections), or… */
  url?: string;
  /** …an ioredis client you own (the cache duplicates it for pub/sub and leaves it open). */
  client?: Redis;
  /** Prefix of every key, tag set, lock and channel (default `velox:cache:`). */
  prefix?: string;
  /** Budget of one Redis command in ms (default 50); past it the read falls through to the source. */
  timeoutMs?: number;
  /** Circuit breaker around Redis (default: opens after 3 failures in a row, probes after 1000 ms). */
  breaker?: Omit<BreakerOptions, "onChange">;
  /** How long the cross-process loading lock lives, and the longest a process waits for another's value (default 2000 ms). */
  lockMs?: number;
  /** How often a waiting process looks for the value if no pub/sub message arrived (default 25 ms). */
  pollMs?: number;
}

/** Options of {@link createCache}. */
export interface CacheOptions {
  /** Name in metrics, events and readiness (default `cache`). */
  name?: string;
  /** Default time to live in ms (default 60,000). */
  ttl?: number;
  /** Default grace in ms: how long past its TTL a value is served while refreshed, or when the source fails (default 0). */
  grace?: number;
  /** Each TTL is stretched by a random share up to this (default 0.1 = up to +10 %). */
  jitter?: number;
  /** TTL in ms of a cached `null` (a "not found"); 0, the default, does not cache `null`. */
  negativeTtl?: number;
  /** The memory tier: its size in entries (default 10,000), or `false` for none. */
  memory?: { max?: number } | false;
  /** The Redis tier (needs the optional peer `ioredis`); with `memory`, memory sits in front of it. */
  redis?: RedisCacheOptions;
}

function check(options: CacheOptions): void {
  const nonNegative = { ttl: options.ttl, grace: options.grace, negativeTtl: options.negativeTtl, jitter: options.jitter };
  for (const [name, value] of Object.entries(nonNegative)) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new VeloxError("VX_INVALID_OPTION", `createCache(): ${name} must be a number ≥ 0, got ${String(value)}`);
  }
  if (options.memory === false && options.redis === undefined) throw new VeloxError("VX_INVALID_OPTION", "createCache(): a cache needs a memory tier, a Redis tier or both");
  if (options.redis && options.redis.url === undefined && options.redis.client === undefined) throw new VeloxError("VX_INVALID_OPTION", "createCache(): redis needs a url or a client");
}

const CLIENT_OPTIONS: RedisOptions = {
  // Fail at once while disconnected instead of queueing: the source answers instead.
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 1_000,
  retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
};

async function connectRedis(options: RedisCacheOptions, cache: () => Cache | undefined): Promise<{ tier: RedisTier; breaker: Breaker; close: () => Promise<void> }> {
  const { Redis } = await importOptionalPeer("ioredis", "velox/cache's Redis tier", () => import("ioredis"));
  const owned = options.client === undefined;
  const client = options.client ?? new Redis(options.url!, CLIENT_OPTIONS);
  const subscriber = client.duplicate({ ...CLIENT_OPTIONS, enableOfflineQueue: true });
  // Errors surface through the commands that fail (and the breaker); an 'error' listener stops ioredis from logging each reconnect.
  client.on("error", () => undefined);
  subscriber.on("error", () => undefined);
  const tier = new RedisTier(client, options.prefix ?? "velox:cache:", options.timeoutMs ?? 50);
  subscriber.on("message", (channel: string, text: string) => {
    const message = channel === tier.channel ? parseInvalidation(text) : null;
    if (message !== null) cache()?.receive(message);
  });
  const breaker = new Breaker({ ...options.breaker, onChange: (state) => cache()?.breakerChanged(state) });
  // Redis down at boot must not stop the app: wait a moment for it, then go on without it.
  const ready = Promise.all([client.status === "ready" ? null : new Promise((resolve) => client.once("ready", resolve)), subscriber.subscribe(tier.channel)]);
  await Promise.race([ready.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  return {
    tier,
    breaker,
    close: async () => {
      subscriber.disconnect();
      if (owned) await client.quit().catch(() => client.disconnect());
    },
  };
}

/**
 * Builds a {@link Cache}: memory only by default (`lru-cache`, an optional peer), Redis when
 * `redis` is given (`ioredis`, an optional peer), memory in front of Redis with both. Memory
 * tiers of other processes drop an entry when it is written or invalidated here (Redis pub/sub).
 * With Redis unreachable it still resolves, and serves from memory and the source.
 *
 * @example
 * ```ts
 * import { createCache } from "velox/cache";
 *
 * const cache = await createCache({ ttl: 30_000, grace: 60_000, redis: process.env.REDIS_URL ? { url: process.env.REDIS_URL } : undefined });
 * ```
 */
export async function createCache(options: CacheOptions = {}): Promise<Cache> {
  check(options);
  let memory: MemoryTier | null = null;
  if (options.memory !== false) {
    const { LRUCache } = await importOptionalPeer("lru-cache", "velox/cache's memory tier", () => import("lru-cache"));
    memory = new MemoryTier(LRUCache, options.memory?.max ?? 10_000);
  }
  let cache: Cache | undefined = undefined;
  const redis = options.redis ? await connectRedis(options.redis, () => cache) : null;
  cache = new Cache(
    {
      name: options.name ?? "cache",
      ttl: options.ttl ?? 60_000,
      grace: options.grace ?? 0,
      jitter: options.jitter ?? 0.1,
      negativeTtl: options.negativeTtl ?? 0,
      lockMs: options.redis?.lockMs ?? 2_000,
      pollMs: options.redis?.pollMs ?? 25,
    },
    memory,
    redis,
  );
  return cache;
}
