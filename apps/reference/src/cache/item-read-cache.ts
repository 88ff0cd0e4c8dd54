import type { Cache } from "velox/cache";
import { z } from "zod";
import type { ItemListRequest, ItemsRepository } from "../repositories/items.ts";
import type { Page } from "../repositories/pagination.ts";
import type { Item } from "../repositories/rows.ts";
import { CachedItem, CachedItemPage } from "./item-schemas.ts";

/** Options of {@link ItemReadCache}. */
export interface ItemReadCacheOptions {
  /** How long an owner's item page is cached (ms); 0 reads through. */
  listTtlMs: number;
  /** How long a single item and the popular list are cached (ms); 0 reads through. */
  itemTtlMs: number;
}

const ownerTag = (ownerId: number): string => `owner:${ownerId}`;
const POPULAR = "popular";
const PopularItems = z.array(CachedItem);

/**
 * The item reads the API serves most — an owner's pages, one item, the most viewed items —
 * through `velox/cache` (memory, with Redis behind it when `REDIS_URL` is set). Every entry is
 * tagged with its owner, and the popular list with `popular`: a write by an owner drops their
 * entries and the popular list at once, here and in the other workers' memory. View counts in
 * cached reads may lag by up to the TTL. "Not found" is not cached.
 *
 * @example
 * ```ts
 * const reads = new ItemReadCache(items, cache, { listTtlMs: 2_000, itemTtlMs: 10_000 });
 * const page = await reads.list({ ownerId: user.id, page: 1, size: 20 });
 * await items.create(user.id, input);
 * await reads.invalidateOwner(user.id);
 * ```
 */
export class ItemReadCache {
  constructor(
    private readonly items: Pick<ItemsRepository, "list" | "get" | "popular">,
    private readonly cache: Cache,
    private readonly options: ItemReadCacheOptions,
  ) {}

  /**
   * One owner's page.
   *
   * @example
   * ```ts
   * await reads.list({ ownerId: 1, page: 2, size: 20, sort: "price", order: "asc" });
   * ```
   */
  list(request: ItemListRequest & { ownerId: number }): Promise<Page<Item>> {
    const ttl = this.options.listTtlMs;
    if (ttl === 0) return this.items.list(request);
    const key = `list:${request.ownerId}:${request.page}:${request.size}:${request.sort}:${request.order}`;
    return this.cache.getOrSet(key, () => this.items.list(request), { ttl, tags: [ownerTag(request.ownerId)], schema: CachedItemPage });
  }

  /**
   * One of an owner's items, or undefined (never cached: the next read asks the database).
   *
   * @example
   * ```ts
   * const item = await reads.get(user.id, 42);
   * ```
   */
  get(ownerId: number, id: number): Promise<Item | undefined> {
    const ttl = this.options.itemTtlMs;
    if (ttl === 0) return this.items.get(ownerId, id);
    return this.cache.getOrSet(`item:${ownerId}:${id}`, () => this.items.get(ownerId, id), { ttl, tags: [ownerTag(ownerId)], schema: CachedItem });
  }

  /**
   * The most viewed items of all users.
   *
   * @example
   * ```ts
   * const top = await reads.popular(10);
   * ```
   */
  popular(limit: number): Promise<Item[]> {
    const ttl = this.options.itemTtlMs;
    if (ttl === 0) return this.items.popular(limit);
    return this.cache.getOrSet(`popular:${limit}`, () => this.items.popular(limit), { ttl, tags: [POPULAR], schema: PopularItems });
  }

  /**
   * Drops an owner's cached reads and the popular list (after they create, change or delete an
   * item, or are deleted).
   *
   * @example
   * ```ts
   * await reads.invalidateOwner(user.id);
   * ```
   */
  invalidateOwner(ownerId: number): Promise<void> {
    return this.cache.invalidateTags([ownerTag(ownerId), POPULAR]);
  }
}
