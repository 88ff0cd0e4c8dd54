import { TtlLru } from "../cache/ttl-lru.ts";
import type { ItemListRequest, ItemsRepository } from "./items.ts";
import type { Page } from "./pagination.ts";
import type { Item } from "./rows.ts";

/** Options of {@link ItemListCache}. */
export interface ItemListCacheOptions {
  /** How long a page is served from memory (ms); 0 turns the cache off. */
  ttlMs: number;
  /** Pages kept (default 10,000). */
  capacity?: number;
}

/** Owners whose version is tracked before the whole cache starts over (bounds the memory). */
const MAX_TRACKED_OWNERS = 100_000;

/**
 * Owners' item pages served from memory for `ttlMs`. A write by the owner (`invalidate`) makes
 * their cached pages unreachable at once in this process; other processes (workers) see the
 * change within `ttlMs`. View counts in a cached page may lag by as much.
 *
 * @example
 * ```ts
 * const lists = new ItemListCache(items, { ttlMs: 2_000 });
 * const page = await lists.list({ ownerId: user.id, page: 1, size: 20 });
 * await items.create(user.id, input);
 * lists.invalidate(user.id);
 * ```
 */
export class ItemListCache {
  readonly #pages: TtlLru<string, Page<Item>> | null;
  readonly #versions = new Map<number, number>();
  #generation = 0;

  constructor(
    private readonly items: Pick<ItemsRepository, "list">,
    options: ItemListCacheOptions,
  ) {
    this.#pages = options.ttlMs > 0 ? new TtlLru({ capacity: options.capacity ?? 10_000, ttlMs: options.ttlMs }) : null;
  }

  /**
   * One owner's page, from memory when a fresh copy is there.
   *
   * @example
   * ```ts
   * await lists.list({ ownerId: 1, page: 2, size: 20, sort: "price", order: "asc" });
   * ```
   */
  async list(request: ItemListRequest & { ownerId: number }): Promise<Page<Item>> {
    if (this.#pages === null) return this.items.list(request);
    const version = this.#versions.get(request.ownerId) ?? 0;
    const key = `${this.#generation}:${request.ownerId}:${version}:${request.page}:${request.size}:${request.sort}:${request.order}`;
    const cached = this.#pages.get(key);
    if (cached !== undefined) return cached;
    const page = await this.items.list(request);
    // A write that landed while the query ran must not be hidden behind this older page.
    if ((this.#versions.get(request.ownerId) ?? 0) === version) this.#pages.set(key, page);
    return page;
  }

  /**
   * Drops an owner's cached pages (after they create, change or delete an item, or are deleted).
   *
   * @example
   * ```ts
   * lists.invalidate(user.id);
   * ```
   */
  invalidate(ownerId: number): void {
    if (this.#pages === null) return;
    if (this.#versions.size >= MAX_TRACKED_OWNERS) {
      this.#versions.clear();
      this.#generation++;
    }
    this.#versions.set(ownerId, (this.#versions.get(ownerId) ?? 0) + 1);
  }
}
