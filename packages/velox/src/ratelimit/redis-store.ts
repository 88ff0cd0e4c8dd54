import { VeloxError } from "../errors.ts";
import { importOptionalPeer } from "../optional-peer.ts";
import type { GcraDecision, GcraRule } from "./gcra.ts";
import { GCRA_SCRIPT, GCRA_SHA, REPLY_WIDTH } from "./gcra-script.ts";
import { ScriptConnection, type Reply, type ReplyWaiter } from "./script-connection.ts";
import type { RateLimitStore, ScopedStore } from "./store.ts";

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

type Args = readonly [interval: string, burst: string, cost: string];

const WRONG_VALUE = "rate-limit store: the bucket holds a value that is not a GCRA time (another program's key?)";

/** The decision at `index` of the script's reply (four integers per bucket). */
function decisionAt(reply: readonly unknown[], index: number): GcraDecision {
  const at = index * REPLY_WIDTH;
  const allowed = Number(reply[at]);
  if (allowed === -1) throw new Error(WRONG_VALUE);
  return { allowed: allowed === 1, tat: 0, remaining: Number(reply[at + 1]), resetMs: Number(reply[at + 2]) / 1000, retryAfterMs: Number(reply[at + 3]) / 1000 };
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

  const run = (redis: RedisScriptClient, key: string, args: Args): Promise<GcraDecision> => {
    coalesce(redis);
    return redis.evalsha(GCRA_SHA, 1, key, args[0], args[1], args[2]).then(decisionOf, (error: unknown) => {
      if (!String((error as Error)?.message).startsWith("NOSCRIPT")) throw error;
      return redis.eval(GCRA_SCRIPT, 1, key, args[0], args[1], args[2]).then(decisionOf);
    });
  };

  const guarded = (redis: RedisScriptClient, key: string, args: Args): Promise<GcraDecision> => {
    const call = run(redis, key, args);
    if (owned) return call; // the store's own client has ioredis's commandTimeout
    const limit = timeout(timeoutMs);
    return Promise.race([call, limit.promise]).finally(limit.cancel);
  };

  // The script's arguments as strings, once per rule (a limiter has one): no number formatting per call.
  const argsOf = new WeakMap<GcraRule, Args>();
  const consume = (key: string, rule: GcraRule, cost: number): Promise<GcraDecision> => {
    let args = cost === 1 ? argsOf.get(rule) : undefined;
    if (args === undefined) {
      args = [String(rule.intervalUs), String(rule.burstUs), String(cost)];
      if (cost === 1) argsOf.set(rule, args);
    }
    if (client === undefined) client = open();
    // Until the client is open, wait for it; afterwards no extra promise per request.
    if (client instanceof Promise) return client.then((redis) => ((client = redis), guarded(redis, key, args)));
    return guarded(client, key, args);
  };

  if (owned && /^redis:\/\//.test(options.url!)) return directStore(options.url!, prefix, timeoutMs);

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

const bulk = (value: string) => `$${Buffer.byteLength(value)}\r\n${value}\r\n`;
/**
 * Decisions per script call at most. A full call is written at once, so Redis starts on it while
 * this process reads the rest of the turn's requests: on two cores the overlap was worth ~10 %
 * of req/s with 10,000 clients against one call per turn of up to 256 (and a call blocks Redis
 * only a few µs per bucket).
 */
const MAX_BATCH = 32;
/** Encoded keys remembered per limiter; past it the table starts over (a client's next request finds its key again). */
const MAX_ENCODED_KEYS = 4096;

const EVALSHA_HEAD = bulk("EVALSHA") + bulk(GCRA_SHA);
const EVAL_HEAD = bulk("EVAL") + bulk(GCRA_SCRIPT);

type Settle<C, T> = (context: C, decision: GcraDecision) => T;
type Fail<C, T> = (context: C, error: unknown) => T;

/**
 * The decisions asked for during one turn of the event loop, answered by one script call. Each
 * request's promise is resolved with what its `settle` (or, on a failure, its `fail`) returns, and
 * rejected with what they throw: one promise per request, not one for the decision and one more
 * for the limiter's `then`.
 */
class Batch implements ReplyWaiter {
  /** Keys, then three arguments per key, RESP-encoded. */
  keys = "";
  args = "";
  readonly contexts: unknown[] = [];
  readonly settles: Settle<unknown, unknown>[] = [];
  readonly fails: Fail<unknown, unknown>[] = [];
  readonly resolves: ((value: unknown) => void)[] = [];
  readonly rejects: ((error: unknown) => void)[] = [];
  #retried = false;

  constructor(private readonly connection: ScriptConnection) {}

  add<C, T>(key: string, args: string, context: C, settle: Settle<C, T>, fail: Fail<C, T>): Promise<T> {
    this.keys += key;
    this.args += args;
    this.contexts.push(context);
    this.settles.push(settle as Settle<unknown, unknown>);
    this.fails.push(fail as Fail<unknown, unknown>);
    return new Promise<T>((resolve, reject) => {
      this.resolves.push(resolve as (value: unknown) => void);
      this.rejects.push(reject);
    });
  }

  get size(): number {
    return this.resolves.length;
  }

  send(): void {
    this.#dispatch(EVALSHA_HEAD);
  }

  /** The call: its head (EVALSHA and the SHA, or EVAL and the script), the number of keys, the keys, their arguments. */
  #dispatch(head: string): void {
    const count = this.resolves.length;
    this.connection.dispatch(`*${3 + 4 * count}\r\n${head}${bulk(String(count))}${this.keys}${this.args}`, this, true);
  }

  resolve(reply: Reply): void {
    const count = this.resolves.length;
    if (!Array.isArray(reply) || reply.length !== count * REPLY_WIDTH) {
      this.reject(new Error(`rate-limit store: unexpected reply from the GCRA script: ${String(reply).slice(0, 100)}`));
      return;
    }
    for (let i = 0; i < count; i++) {
      let decision: GcraDecision;
      try {
        decision = decisionAt(reply, i);
      } catch (error) {
        this.#failOne(i, error);
        continue;
      }
      try {
        this.resolves[i]!(this.settles[i]!(this.contexts[i], decision));
      } catch (error) {
        this.rejects[i]!(error);
      }
    }
  }

  reject(error: Error): void {
    if (!this.#retried && error.message.startsWith("NOSCRIPT")) {
      // Redis restarted or ran SCRIPT FLUSH: the same call once with the script itself.
      this.#retried = true;
      this.#dispatch(EVAL_HEAD);
      return;
    }
    for (let i = 0; i < this.resolves.length; i++) this.#failOne(i, error);
  }

  #failOne(i: number, error: unknown): void {
    try {
      this.resolves[i]!(this.fails[i]!(this.contexts[i], error));
    } catch (thrown) {
      this.rejects[i]!(thrown);
    }
  }
}

const asIs: Settle<unknown, GcraDecision> = (_context, decision) => decision;
const rethrow: Fail<unknown, never> = (_context, error) => {
  throw error;
};

/**
 * The store over its own {@link ScriptConnection} (a `redis://` URL): the decisions of one turn of
 * the event loop go out as one EVALSHA over all their buckets — one write, one `TIME`, one reply of
 * integers parsed from the bytes. A limiter's keys are encoded once per client, not per request,
 * and the rule's arguments once per rule. `rediss://` and clients of yours go through ioredis.
 */
function directStore(url: string, prefix: string, timeoutMs: number): RateLimitStore {
  const connection = new ScriptConnection(url, timeoutMs);
  const argsByRule = new WeakMap<GcraRule, string>();
  const argsOf = (rule: GcraRule, cost: number): string => {
    let args = cost === 1 ? argsByRule.get(rule) : undefined;
    if (args === undefined) {
      args = bulk(String(rule.intervalUs)) + bulk(String(rule.burstUs)) + bulk(String(cost));
      if (cost === 1) argsByRule.set(rule, args);
    }
    return args;
  };

  let batch: Batch | null = null;
  const send = () => {
    const ready = batch;
    batch = null;
    ready?.send();
  };
  const add = <C, T>(encodedKey: string, rule: GcraRule, cost: number, context: C, settle: Settle<C, T>, fail: Fail<C, T>): Promise<T> => {
    if (batch === null) {
      batch = new Batch(connection);
      setImmediate(send);
    }
    const decision = batch.add(encodedKey, argsOf(rule, cost), context, settle, fail);
    if (batch.size >= MAX_BATCH) send();
    return decision;
  };

  const scoped = (scope: string): ScopedStore => {
    const joined = prefix + scope;
    let encoded = new Map<string, string>();
    const encode = (key: string): string => {
      let bulkKey = encoded.get(key);
      if (bulkKey === undefined) {
        if (encoded.size >= MAX_ENCODED_KEYS) encoded = new Map();
        encoded.set(key, (bulkKey = bulk(joined + key)));
      }
      return bulkKey;
    };
    return {
      consume: (key: string, rule: GcraRule, cost: number) => add(encode(key), rule, cost, null, asIs, rethrow),
      consumeThen: (key, rule, cost, context, settle, fail) => add(encode(key), rule, cost, context, settle, fail),
    };
  };

  return {
    kind: "redis",
    consume: (key, rule, cost) => add(bulk(prefix + key), rule, cost, null, asIs, rethrow),
    scoped,
    close: async () => connection.close(),
  };
}
