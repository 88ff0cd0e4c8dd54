import type { LRUCache } from "lru-cache";
import type { CacheEntry } from "./entry.ts";

type LruConstructor = typeof LRUCache;

/**
 * The in-process tier: entries (decoded values, not JSON) in an `lru-cache` bounded by `max`,
 * with an index from tag to keys so a tag is dropped without a scan. Values are shared between
 * callers — treat what the cache returns as read-only.
 *
 * @example
 * ```ts
 * const { LRUCache } = await import("lru-cache");
 * const memory = new MemoryTier(LRUCache, 10_000);
 * memory.set("user:1", { value: { id: 1 }, fresh: Date.now() + 1000, stale: Date.now() + 1000, tags: ["users"] });
 * ```
 */
export class MemoryTier {
  readonly #lru: LRUCache<string, CacheEntry>;
  readonly #byTag = new Map<string, Set<string>>();

  constructor(Lru: LruConstructor, max: number) {
    this.#lru = new Lru<string, CacheEntry>({
      max,
      dispose: (entry, key) => {
        for (const tag of entry.tags) this.#untag(tag, key);
      },
    });
  }

  /**
   * The entry of `key` while it is usable (fresh or within its grace), else undefined.
   *
   * @example
   * ```ts
   * const entry = memory.get("user:1", Date.now());
   * ```
   */
  get(key: string, now: number): CacheEntry | undefined {
    const entry = this.#lru.get(key);
    if (entry === undefined) return undefined;
    if (entry.stale <= now) {
      this.#lru.delete(key);
      return undefined;
    }
    return entry;
  }

  /**
   * Stores an entry under `key`, indexing its tags.
   *
   * @example
   * ```ts
   * memory.set("user:1", entry);
   * ```
   */
  set(key: string, entry: CacheEntry): void {
    this.#lru.set(key, entry);
    for (const tag of entry.tags) {
      let keys = this.#byTag.get(tag);
      if (keys === undefined) this.#byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  /**
   * Forgets keys.
   *
   * @example
   * ```ts
   * memory.delete(["user:1", "user:2"]);
   * ```
   */
  delete(keys: Iterable<string>): void {
    for (const key of keys) this.#lru.delete(key);
  }

  /**
   * Forgets every key carrying one of `tags`.
   *
   * @example
   * ```ts
   * memory.deleteTags(["users"]);
   * ```
   */
  deleteTags(tags: Iterable<string>): void {
    for (const tag of tags) {
      const keys = this.#byTag.get(tag);
      if (keys !== undefined) this.delete([...keys]);
    }
  }

  /**
   * Forgets every key that starts with `prefix`.
   *
   * @example
   * ```ts
   * memory.deletePrefix("user:");
   * ```
   */
  deletePrefix(prefix: string): void {
    const doomed: string[] = [];
    for (const key of this.#lru.keys()) if (key.startsWith(prefix)) doomed.push(key);
    this.delete(doomed);
  }

  /**
   * Forgets everything.
   *
   * @example
   * ```ts
   * memory.clear();
   * ```
   */
  clear(): void {
    this.#lru.clear();
  }

  /**
   * Entries held.
   *
   * @example
   * ```ts
   * memory.size; // 0
   * ```
   */
  get size(): number {
    return this.#lru.size;
  }

  #untag(tag: string, key: string): void {
    const keys = this.#byTag.get(tag);
    if (keys === undefined) return;
    keys.delete(key);
    if (keys.size === 0) this.#byTag.delete(tag);
  }
}
