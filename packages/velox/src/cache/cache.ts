import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ReadinessCheck } from "../server/readiness.ts";
import { Breaker, type BreakerState } from "./breaker.ts";
import { checkValue, decodeEntry, encodeEntry } from "./codec.ts";
import { entryTimes, type CacheEntry } from "./entry.ts";
import type { CacheEvent, CacheListener } from "./events.ts";
import type { MemoryTier } from "./memory-tier.ts";
import type { InvalidationMessage, RedisTier } from "./redis-tier.ts";

/** Options of one read-through call ({@link Cache.getOrSet}, `cached`). */
export interface CacheCallOptions<T> {
  /** Time to live in ms (default: the cache's `ttl`). */
  ttl?: number;
  /** After the TTL, how long (ms) the old value is still served while it is refreshed in the background, or when the source fails (default: the cache's `grace`). */
  grace?: number;
  /** Tags to invalidate the entry by (`cache.invalidateTags`). */
  tags?: readonly string[];
  /** Validates (and may transform) a value read from Redis; a value that fails is a miss. */
  schema?: StandardSchemaV1<unknown, T>;
}

/** The cache's settings once resolved; see `CacheOptions` for their meaning. */
export interface CacheSettings {
  name: string;
  ttl: number;
  grace: number;
  jitter: number;
  negativeTtl: number;
  lockMs: number;
  pollMs: number;
}

interface RedisParts {
  tier: RedisTier;
  breaker: Breaker;
  close: () => Promise<void>;
}

type Loader<T> = () => T | Promise<T>;
const FAILED = Symbol("redis failed");
type Lock = { state: "held"; token: string } | { state: "busy" } | { state: "none" };
/** A read in progress; an invalidation of its key or tags marks it, and its (older) value is then not stored. */
interface Ticket {
  tags: readonly string[];
  overtaken: boolean;
}

/**
 * A typed cache: a memory tier, a Redis tier, or both (memory in front). Build one with
 * `createCache`. Reads go memory → Redis → source; concurrent misses of a key share one call of
 * the source in a process, and across processes one holder of a short Redis lock loads while the
 * others wait for its value. Redis failures never reach the caller: past a timeout or with the
 * breaker open, reads fall through to the source.
 *
 * @example
 * ```ts
 * const cache = await createCache({ ttl: 30_000, redis: { url: process.env.REDIS_URL } });
 * const user = await cache.getOrSet(`user:${id}`, () => db.user(id), { tags: [`user:${id}`] });
 * await cache.invalidateTags([`user:${id}`]);
 * ```
 */
export class Cache {
  readonly name: string;
  readonly #settings: CacheSettings;
  readonly #memory: MemoryTier | null;
  readonly #redis: RedisParts | null;
  readonly #flights = new Map<string, Promise<unknown>>();
  /** Keys being refreshed in the background (apart from `#flights`: a read that found a stale entry is itself a flight). */
  readonly #refreshing = new Set<string>();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #listeners = new Set<CacheListener>();
  readonly #origin = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  #tokens = 0;
  readonly #reading = new Map<string, Ticket>();

  /** @internal Use `createCache`. */
  constructor(settings: CacheSettings, memory: MemoryTier | null, redis: RedisParts | null) {
    this.#settings = settings;
    this.name = settings.name;
    this.#memory = memory;
    this.#redis = redis;
  }

  /**
   * The value of `key`: from memory, else Redis, else `loader` (then stored). Only one loader
   * call per key runs at a time in this process (and, with Redis, across processes); a failing
   * loader's error reaches every waiting caller, unless a stale value within its grace exists.
   * `null` is cached only when the cache has a `negativeTtl`; `undefined` never is.
   *
   * @example
   * ```ts
   * const top = await cache.getOrSet("items:popular", () => items.popular(10), { ttl: 5_000, tags: ["items"] });
   * ```
   */
  getOrSet<T>(key: string, loader: Loader<T>, options: CacheCallOptions<T> = {}): Promise<T> {
    const now = Date.now();
    const hit = this.#memory?.get(key, now);
    if (hit !== undefined) {
      if (hit.fresh > now) {
        if (this.#listeners.size !== 0) this.#emit({ type: "hit", cache: this.name, tier: "memory" });
        return Promise.resolve(hit.value as T);
      }
      if (this.#listeners.size !== 0) this.#emit({ type: "stale", cache: this.name, tier: "memory" });
      this.#refresh(key, loader, options, hit);
      return Promise.resolve(hit.value as T);
    }
    let flight = this.#flights.get(key) as Promise<T> | undefined;
    if (flight === undefined) {
      const ticket = this.#ticket(key, options);
      flight = this.#fill(key, loader, options, ticket).finally(() => this.#done(key, ticket));
      this.#flights.set(key, flight);
    }
    return flight;
  }

  /**
   * The value of `key` if a tier has a usable one (fresh or within grace), else undefined.
   *
   * @example
   * ```ts
   * const session = await cache.get("session:abc", { schema: Session });
   * ```
   */
  async get<T = unknown>(key: string, options: Pick<CacheCallOptions<T>, "schema"> = {}): Promise<T | undefined> {
    const hit = this.#memory?.get(key, Date.now());
    if (hit !== undefined) return hit.value as T;
    return (await this.#readRedis(key, options.schema))?.value as T | undefined;
  }

  /**
   * Stores `value` under `key` in every tier (and tells other processes to drop their copy).
   *
   * @example
   * ```ts
   * await cache.set("config", config, { ttl: 600_000, tags: ["config"] });
   * ```
   */
  async set<T>(key: string, value: T, options: Omit<CacheCallOptions<T>, "schema"> = {}): Promise<void> {
    await this.#store(key, value, options);
  }

  /**
   * Deletes keys from every tier, here and in the other processes' memory.
   *
   * @example
   * ```ts
   * await cache.delete("user:1", "user:2");
   * ```
   */
  async delete(...keys: string[]): Promise<void> {
    this.#overtake((key) => keys.includes(key));
    this.#memory?.delete(keys);
    await this.#redisCall((tier) => tier.delete(keys));
    await this.#publish({ o: this.#origin, k: keys });
  }

  /**
   * Deletes every entry carrying one of `tags` (Redis keeps a set of keys per tag, walked with
   * SSCAN in batches).
   *
   * @example
   * ```ts
   * await cache.invalidateTags([`owner:${userId}`]);
   * ```
   */
  async invalidateTags(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    this.#overtake((_key, ticket) => ticket.tags.some((tag) => tags.includes(tag)));
    this.#memory?.deleteTags(tags);
    await this.#redisCall((tier) => tier.deleteTags(tags));
    await this.#publish({ o: this.#origin, t: [...tags] });
  }

  /**
   * Deletes every key starting with `prefix` (Redis: SCAN with a MATCH on the escaped prefix,
   * in batches — never `KEYS`).
   *
   * @example
   * ```ts
   * await cache.deletePrefix("report:2026-");
   * ```
   */
  async deletePrefix(prefix: string): Promise<void> {
    this.#overtake((key) => key.startsWith(prefix));
    this.#memory?.deletePrefix(prefix);
    await this.#redisCall((tier) => tier.deletePrefix(prefix));
    await this.#publish({ o: this.#origin, p: prefix });
  }

  /**
   * Subscribes to the cache's events; returns the unsubscribe function.
   *
   * @example
   * ```ts
   * const off = cache.on((event) => console.log(event.type));
   * off();
   * ```
   */
  on(listener: CacheListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The Redis tier's breaker state: `closed` when Redis answers, `open` while it is bypassed;
   * null for a cache without Redis.
   *
   * @example
   * ```ts
   * if (cache.redisState === "open") console.warn("serving without Redis");
   * ```
   */
  get redisState(): BreakerState | null {
    return this.#redis?.breaker.state ?? null;
  }

  /**
   * A readiness check for `/ready` that is not critical: with Redis gone the app still answers
   * (from memory and the source), so readiness says `degraded`, not down. A successful ping
   * also closes an open breaker at once.
   *
   * @example
   * ```ts
   * await serve(app, { readinessChecks: [cache.readinessCheck()] });
   * ```
   */
  readinessCheck(name = `${this.name}-redis`): ReadinessCheck {
    return {
      name,
      critical: false,
      timeoutMs: 1_000,
      check: async () => {
        const redis = this.#redis;
        if (redis === null) return true;
        try {
          await redis.tier.ping(500);
          redis.breaker.success();
          return true;
        } catch {
          return false;
        }
      },
    };
  }

  /**
   * Closes the Redis connections the cache opened (a client handed in stays open).
   *
   * @example
   * ```ts
   * await cache.close();
   * ```
   */
  async close(): Promise<void> {
    this.#memory?.clear();
    await this.#redis?.close();
  }

  /** @internal Applies an invalidation published by another process. */
  receive(message: InvalidationMessage): void {
    if (message.o === this.#origin) return;
    const { k: keys, t: tags, p: prefix } = message;
    if (keys) {
      this.#overtake((key) => keys.includes(key));
      this.#memory?.delete(keys);
      for (const key of keys) this.#wake(key);
    }
    if (tags) {
      this.#overtake((_key, ticket) => ticket.tags.some((tag) => tags.includes(tag)));
      this.#memory?.deleteTags(tags);
    }
    if (prefix !== undefined) {
      this.#overtake((key) => key.startsWith(prefix));
      this.#memory?.deletePrefix(prefix);
    }
  }

  /** @internal Told by the breaker. */
  breakerChanged(state: BreakerState): void {
    if (this.#listeners.size !== 0) this.#emit({ type: "breaker", cache: this.name, state });
  }

  #ticket(key: string, options: CacheCallOptions<unknown>): Ticket {
    const ticket: Ticket = { tags: options.tags ?? [], overtaken: false };
    this.#reading.set(key, ticket);
    return ticket;
  }

  #done(key: string, ticket: Ticket): void {
    this.#flights.delete(key);
    if (this.#reading.get(key) === ticket) this.#reading.delete(key);
  }

  /** Marks the reads in progress that an invalidation concerns (few at a time: one per key being loaded). */
  #overtake(concerns: (key: string, ticket: Ticket) => boolean): void {
    for (const [key, ticket] of this.#reading) if (concerns(key, ticket)) ticket.overtaken = true;
  }

  async #fill<T>(key: string, loader: Loader<T>, options: CacheCallOptions<T>, ticket: Ticket): Promise<T> {
    const stored = await this.#readRedis(key, options.schema);
    if (stored !== undefined) {
      if (stored.fresh <= Date.now()) this.#refresh(key, loader, options, stored);
      return stored.value;
    }
    return this.#load(key, loader, options, undefined, ticket);
  }

  /** Refreshes a stale entry in the background (once per key); its caller already has the stale value. */
  #refresh<T>(key: string, loader: Loader<T>, options: CacheCallOptions<T>, stale: CacheEntry): void {
    if (this.#refreshing.has(key)) return;
    this.#refreshing.add(key);
    const ticket = this.#ticket(key, options);
    void this.#load(key, loader, options, stale, ticket)
      .catch(() => undefined)
      .finally(() => {
        this.#refreshing.delete(key);
        if (this.#reading.get(key) === ticket) this.#reading.delete(key);
      });
  }

  /** `ticket.overtaken` at the end: an invalidation came while loading, so the value may predate a write and is not stored. */
  async #load<T>(key: string, loader: Loader<T>, options: CacheCallOptions<T>, stale: CacheEntry | undefined, ticket: Ticket): Promise<T> {
    const deadline = Date.now() + this.#settings.lockMs;
    let lock = await this.#lock(key);
    while (lock.state === "busy" && Date.now() < deadline) {
      // Another process is loading this key: wait for its value rather than calling the source too.
      await this.#nextWrite(key);
      const written = await this.#readRedis(key, options.schema);
      if (written !== undefined && written.fresh > Date.now()) return written.value;
      lock = await this.#lock(key);
    }
    try {
      if (this.#listeners.size !== 0) this.#emit({ type: "miss", cache: this.name });
      let value: T;
      try {
        value = await loader();
      } catch (error) {
        if (stale !== undefined && stale.stale > Date.now()) return stale.value as T;
        throw error;
      }
      if (!ticket.overtaken) await this.#store(key, value, options);
      return value;
    } finally {
      if (lock.state === "held") {
        const token = lock.token;
        await this.#redisCall((tier) => tier.unlock(key, token));
      }
    }
  }

  async #lock(key: string): Promise<Lock> {
    if (this.#redis === null) return { state: "none" };
    const token = `${this.#origin}:${++this.#tokens}`;
    const taken = await this.#redisCall((tier) => tier.lock(key, token, this.#settings.lockMs));
    if (taken === FAILED) return { state: "none" };
    return taken ? { state: "held", token } : { state: "busy" };
  }

  /** Resolves when another process announces a write of `key`, or after `pollMs` (a missed message costs one poll). */
  #nextWrite(key: string): Promise<void> {
    return new Promise((resolve) => {
      let waiters = this.#waiters.get(key);
      if (waiters === undefined) this.#waiters.set(key, (waiters = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0 && this.#waiters.get(key) === waiters) this.#waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, this.#settings.pollMs);
      waiters.add(done);
    });
  }

  #wake(key: string): void {
    const waiters = this.#waiters.get(key);
    if (waiters !== undefined) for (const done of [...waiters]) done();
  }

  async #readRedis<T>(key: string, schema: StandardSchemaV1<unknown, T> | undefined): Promise<CacheEntry<T> | undefined> {
    const text = await this.#redisCall((tier) => tier.get(key));
    if (text === FAILED || text === null) return undefined;
    const entry = decodeEntry(text);
    const now = Date.now();
    const checked = entry !== undefined && entry.stale > now ? await checkValue(schema, entry.value) : undefined;
    if (entry === undefined || checked === undefined) {
      if (this.#listeners.size !== 0) this.#emit({ type: "invalid", cache: this.name });
      return undefined;
    }
    const usable: CacheEntry<T> = { value: checked.value, fresh: entry.fresh, stale: entry.stale, tags: entry.tags };
    if (this.#listeners.size !== 0) this.#emit({ type: usable.fresh > now ? "hit" : "stale", cache: this.name, tier: "redis" });
    this.#memory?.set(key, usable);
    return usable;
  }

  async #store<T>(key: string, value: T, options: Omit<CacheCallOptions<T>, "schema">): Promise<void> {
    if (value === undefined || (value === null && this.#settings.negativeTtl <= 0)) return;
    const ttl = value === null ? this.#settings.negativeTtl : (options.ttl ?? this.#settings.ttl);
    if (!(ttl > 0)) return;
    const now = Date.now();
    const tags = options.tags ?? [];
    const entry: CacheEntry = { value, ...entryTimes(now, ttl, options.grace ?? this.#settings.grace, this.#settings.jitter), tags };
    this.#memory?.set(key, entry);
    if (this.#redis === null) return;
    let text: string;
    try {
      text = encodeEntry(entry);
    } catch (error) {
      // Not JSON-serialisable (a cycle, a BigInt): kept in memory only.
      if (this.#listeners.size !== 0) this.#emit({ type: "redis-error", cache: this.name, error: error as Error });
      return;
    }
    const written = await this.#redisCall((tier) => tier.set(key, text, entry.stale - now, tags));
    if (written !== FAILED) await this.#publish({ o: this.#origin, k: [key] });
  }

  async #publish(message: InvalidationMessage): Promise<void> {
    await this.#redisCall((tier) => tier.publish(message));
  }

  async #redisCall<R>(call: (tier: RedisTier) => Promise<R>): Promise<R | typeof FAILED> {
    const redis = this.#redis;
    if (redis === null || !redis.breaker.allow()) return FAILED;
    try {
      const result = await call(redis.tier);
      redis.breaker.success();
      return result;
    } catch (error) {
      redis.breaker.failure();
      if (this.#listeners.size !== 0) this.#emit({ type: "redis-error", cache: this.name, error: error as Error });
      return FAILED;
    }
  }

  #emit(event: CacheEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not break a read.
      }
    }
  }
}
