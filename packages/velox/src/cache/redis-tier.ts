import type { Redis } from "ioredis";
import { withTimeout } from "./timeout.ts";

/** A change another process must apply to its memory tier. */
export interface InvalidationMessage {
  /** Id of the process that sent it (it ignores its own). */
  o: string;
  /** Keys written (a waiter may now read them) or deleted. */
  k?: string[];
  t?: string[];
  p?: string;
}

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const BATCH = 1_000;

/** Escapes a literal for a Redis glob pattern (a prefix with `*` must not match everything). */
const globLiteral = (text: string): string => text.replace(/[*?[\]\\]/g, "\\$&");

/**
 * The Redis tier: entries as JSON strings under `<prefix>k:<key>` with a PX expiry, tag sets under
 * `<prefix>t:<tag>`, short locks under `<prefix>l:<key>`, and invalidations published on
 * `<prefix>invalidate`. Every command has its own time budget; deletions walk with SCAN/SSCAN
 * in batches (never `KEYS`, which blocks the server).
 *
 * @example
 * ```ts
 * const tier = new RedisTier(new Redis(), "app:cache:", 50);
 * await tier.set("user:1", '{"v":1,"f":0,"g":0,"t":[]}', 60_000, []);
 * ```
 */
export class RedisTier {
  readonly channel: string;

  constructor(
    readonly client: Redis,
    readonly prefix: string,
    private readonly timeoutMs: number,
  ) {
    this.channel = `${prefix}invalidate`;
  }

  #run<T>(command: Promise<T>): Promise<T> {
    return withTimeout(command, this.timeoutMs);
  }

  dataKey(key: string): string {
    return `${this.prefix}k:${key}`;
  }

  /** The stored text of `key`, or null. */
  get(key: string): Promise<string | null> {
    return this.#run(this.client.get(this.dataKey(key)));
  }

  /** Stores `text` for `ttlMs` and adds the key to its tags' sets (which live as long as their longest member). */
  async set(key: string, text: string, ttlMs: number, tags: readonly string[]): Promise<void> {
    const dataKey = this.dataKey(key);
    const ms = Math.max(1, Math.ceil(ttlMs));
    if (tags.length === 0) {
      await this.#run(this.client.set(dataKey, text, "PX", ms));
      return;
    }
    const multi = this.client.multi().set(dataKey, text, "PX", ms);
    for (const tag of tags) {
      const tagKey = `${this.prefix}t:${tag}`;
      multi.sadd(tagKey, dataKey).pexpire(tagKey, ms, "NX").pexpire(tagKey, ms, "GT");
    }
    await this.#run(multi.exec());
  }

  /** Deletes keys. */
  async delete(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += BATCH) await this.#run(this.client.unlink(...keys.slice(i, i + BATCH).map((k) => this.dataKey(k))));
  }

  /** Deletes every key of each tag's set, in batches, then the set. Returns the keys deleted. */
  async deleteTags(tags: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const tag of tags) {
      const tagKey = `${this.prefix}t:${tag}`;
      let cursor = "0";
      do {
        const [next, members] = await this.#run(this.client.sscan(tagKey, cursor, "COUNT", BATCH));
        cursor = next;
        if (members.length > 0) deleted += await this.#run(this.client.unlink(...members));
      } while (cursor !== "0");
      await this.#run(this.client.unlink(tagKey));
    }
    return deleted;
  }

  /** Deletes every key starting with `keyPrefix`, found with SCAN. Returns the keys deleted. */
  async deletePrefix(keyPrefix: string): Promise<number> {
    const match = `${globLiteral(this.dataKey(keyPrefix))}*`;
    let deleted = 0;
    let cursor = "0";
    do {
      const [next, keys] = await this.#run(this.client.scan(cursor, "MATCH", match, "COUNT", BATCH));
      cursor = next;
      if (keys.length > 0) deleted += await this.#run(this.client.unlink(...keys));
    } while (cursor !== "0");
    return deleted;
  }

  /** Takes the short lock of `key` (SET NX PX); true when this caller holds it. */
  async lock(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.#run(this.client.set(`${this.prefix}l:${key}`, token, "PX", ttlMs, "NX"))) === "OK";
  }

  /** Releases the lock of `key` if `token` still holds it. */
  async unlock(key: string, token: string): Promise<void> {
    await this.#run(this.client.eval(RELEASE, 1, `${this.prefix}l:${key}`, token));
  }

  /** Tells the other processes. */
  async publish(message: InvalidationMessage): Promise<void> {
    await this.#run(this.client.publish(this.channel, JSON.stringify(message)));
  }

  /** Round trip, for readiness: with its own budget, as a probe is not on a request's path. */
  async ping(timeoutMs: number): Promise<void> {
    await withTimeout(this.client.ping(), timeoutMs);
  }
}

/**
 * Reads an invalidation published by another process; anything malformed is null.
 *
 * @example
 * ```ts
 * parseInvalidation('{"o":"a","k":["x"]}'); // { o: "a", k: ["x"] }
 * ```
 */
export function parseInvalidation(text: string): InvalidationMessage | null {
  try {
    const raw = JSON.parse(text) as unknown;
    if (typeof raw !== "object" || raw === null) return null;
    const { o, k, t, p } = raw as Record<string, unknown>;
    const strings = (v: unknown): v is string[] | undefined => v === undefined || (Array.isArray(v) && v.every((s) => typeof s === "string"));
    if (typeof o !== "string" || !strings(k) || !strings(t) || (p !== undefined && typeof p !== "string")) return null;
    return { o, k, t, p };
  } catch {
    return null;
  }
}
