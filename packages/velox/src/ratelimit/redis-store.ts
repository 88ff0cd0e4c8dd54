import { VeloxError } from "../errors.ts";
import { importOptionalPeer } from "../optional-peer.ts";
import { batchedStore } from "./batched-store.ts";
import type { GcraDecision, GcraRule } from "./gcra.ts";
import { decisionAt, GCRA_SCRIPT, GCRA_SHA, REPLY_WIDTH, scriptArgs, type ScriptArgs } from "./gcra-script.ts";
import type { RateLimitStore } from "./store.ts";

/** The part of an ioredis client the store uses. */
export interface RedisScriptClient {
  evalsha(sha: string, numKeys: number, key: string, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number, key: string, ...args: (string | number)[]): Promise<unknown>;
  quit?(): Promise<unknown>;
  disconnect?(): void;
}

/** Options of {@link redisStore}: a client of yours, or a URL the store connects to on first use. */
export interface RedisStoreOptions {
  /** An ioredis client (or cluster) you own and close. */
  client?: RedisScriptClient;
  /** `redis://…` (its own pipelining connection, no ioredis) or `rediss://…` (its own ioredis client): opened lazily, closed by `close()`. */
  url?: string;
  /** Prefix of every key (default `velox:rl:`); one per deployment sharing a Redis. */
  prefix?: string;
  /** A call slower than this counts as a failure, so the limiter's policy applies (default 100 ms). */
  timeoutMs?: number;
}

function timeout(ms: number): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`rate-limit store: no answer from Redis within ${ms} ms`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

function decisionOf(reply: unknown): GcraDecision {
  if (!Array.isArray(reply) || reply.length !== REPLY_WIDTH) throw new Error(`rate-limit store: unexpected reply from the GCRA script: ${String(reply).slice(0, 100)}`);
  return decisionAt(reply, 0);
}

/**
 * Limiter state in Redis, shared by every worker: at most one script call per request (EVALSHA;
 * EVAL once when the server has not seen the script, after a restart or `SCRIPT FLUSH`). A
 * `redis://` URL gets a pipelining connection of the store's own (no ioredis) that decides every
 * request of one event-loop turn in one call; `ioredis` is an optional peer, imported only for a
 * `rediss://` URL, and a client of yours (a Cluster too) gets one call per request.
 *
 * @example
 * ```ts
 * const store = redisStore({ url: process.env.REDIS_URL, prefix: "myapp:rl:" });
 * const limiter = rateLimit({ limit: 100, windowMs: 60_000, store, failure: "open" });
 * ```
 */
export function redisStore(options: RedisStoreOptions): RateLimitStore {
  if ((options.client === undefined) === (options.url === undefined)) {
    throw new VeloxError("VX_INVALID_OPTION", "redisStore: pass either client or url");
  }
  const prefix = options.prefix ?? "velox:rl:";
  const timeoutMs = options.timeoutMs ?? 100;
  if (options.url !== undefined && /^redis:\/\//.test(options.url)) return batchedStore(options.url, prefix, timeoutMs);

  let client: RedisScriptClient | Promise<RedisScriptClient> | undefined = options.client;
  const owned = options.client === undefined;

  const open = async (): Promise<RedisScriptClient> => {
    const { Redis } = await importOptionalPeer("ioredis", "redisStore (velox/ratelimit)", () => import("ioredis"));
    // No offline queue and no retries per command: with Redis gone a call fails at once and the
    // limiter's policy answers, instead of requests piling up behind a reconnect.
    const redis = new Redis(options.url!, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: timeoutMs });
    redis.on("error", () => undefined);
    // Without an offline queue, calls made before the first connect would fail: wait for it
    // (bounded), so a fail-closed limiter does not refuse the first requests after a boot.
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off("ready", done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(timeoutMs, 1_000));
      redis.once("ready", done);
    });
    return redis;
  };

  // The store's own connection: every command written during one turn of the event loop goes out
  // in one write (the socket is corked until setImmediate), so concurrent requests share a
  // syscall, and Redis answers them in one read. ioredis's auto-pipelining does the same with a
  // pipeline object and a promise per command on top; this costs one cork per turn.
  let corked: { uncork(): void } | null = null;
  const uncork = () => {
    corked?.uncork();
    corked = null;
  };
  const coalesce = (redis: RedisScriptClient): void => {
    if (!owned || corked !== null) return;
    const stream = (redis as { stream?: { cork?(): void; uncork(): void; writable?: boolean } }).stream;
    if (stream?.cork === undefined || stream.writable !== true) return;
    stream.cork();
    corked = stream;
    setImmediate(uncork);
  };

  const run = (redis: RedisScriptClient, key: string, args: ScriptArgs): Promise<GcraDecision> => {
    coalesce(redis);
    return redis.evalsha(GCRA_SHA, 1, key, args[0], args[1], args[2]).then(decisionOf, (error: unknown) => {
      if (!String((error as Error)?.message).startsWith("NOSCRIPT")) throw error;
      return redis.eval(GCRA_SCRIPT, 1, key, args[0], args[1], args[2]).then(decisionOf);
    });
  };

  const guarded = (redis: RedisScriptClient, key: string, args: ScriptArgs): Promise<GcraDecision> => {
    const call = run(redis, key, args);
    if (owned) return call; // the store's own client has ioredis's commandTimeout
    const limit = timeout(timeoutMs);
    return Promise.race([call, limit.promise]).finally(limit.cancel);
  };

  const consume = (key: string, rule: GcraRule, cost: number): Promise<GcraDecision> => {
    const args = scriptArgs(rule, cost);
    if (client === undefined) client = open();
    // Until the client is open, wait for it; afterwards no extra promise per request.
    if (client instanceof Promise) return client.then((redis) => ((client = redis), guarded(redis, key, args)));
    return guarded(client, key, args);
  };

  return prefixedStore(prefix, consume, async () => {
    if (!owned || client === undefined) return;
    const redis = await client;
    client = undefined;
    await redis.quit?.().catch(() => redis.disconnect?.());
  });
}

type Consume = (key: string, rule: GcraRule, cost: number) => Promise<GcraDecision>;

/** A Redis store over `consume` (which takes whole keys): the store's prefix, and each limiter's joined to it once, not per request. */
function prefixedStore(prefix: string, consume: Consume, close: () => Promise<void>): RateLimitStore {
  return {
    kind: "redis",
    consume: (key, rule, cost) => consume(prefix + key, rule, cost),
    scoped: (scope: string) => {
      const joined = prefix + scope;
      return { consume: (key: string, rule: GcraRule, cost: number) => consume(joined + key, rule, cost) };
    },
    close,
  };
}
