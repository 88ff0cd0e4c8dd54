/** Options of {@link TtlLru}. */
export interface TtlLruOptions {
  /** Most entries kept; the least recently used go first. */
  capacity: number;
  /** Default lifetime of an entry in milliseconds (`set` may give a shorter or longer one). */
  ttlMs: number;
  /** The clock, in milliseconds (tests pass their own). */
  now?: () => number;
}

/**
 * A small in-process cache: least-recently-used eviction beyond `capacity`, and entries that
 * expire after their time to live. A Map keeps insertion order, so the oldest key is the first.
 *
 * @example
 * ```ts
 * const cache = new TtlLru<string, number>({ capacity: 1000, ttlMs: 5_000 });
 * cache.set("answer", 42);
 * cache.get("answer"); // 42, for five seconds
 * ```
 */
export class TtlLru<K, V> {
  readonly #entries = new Map<K, { value: V; expiresAt: number }>();
  readonly #capacity: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: TtlLruOptions) {
    if (!(options.capacity >= 1)) throw new RangeError("capacity must be at least 1");
    this.#capacity = options.capacity;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The live value of `key`, marked as recently used; undefined when absent or expired.
   *
   * @example
   * ```ts
   * const hit = cache.get(key) ?? load(key);
   * ```
   */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.#now()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  /**
   * Stores `value` for `ttlMs` (default: the cache's), evicting the least recently used entry when full.
   *
   * @example
   * ```ts
   * cache.set(token, claims, claims.expiresAt.getTime() - Date.now());
   * ```
   */
  set(key: K, value: V, ttlMs: number = this.#ttlMs): void {
    if (ttlMs <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value as K);
  }

  /**
   * Forgets `key`.
   *
   * @example
   * ```ts
   * cache.delete(key);
   * ```
   */
  delete(key: K): void {
    this.#entries.delete(key);
  }

  /**
   * Entries held, expired ones included until they are read or evicted.
   *
   * @example
   * ```ts
   * cache.size; // 0 for a new cache
   * ```
   */
  get size(): number {
    return this.#entries.size;
  }
}
