import { z } from "zod";
import type { Page } from "../repositories/pagination.ts";
import type { Item } from "../repositories/rows.ts";

/**
 * An `Item` as it comes back from the cache's Redis tier: JSON turned the date into a string,
 * so the schema turns it back — and an entry that is not an item is a miss, not a crash.
 *
 * @example
 * ```ts
 * await cache.getOrSet(key, () => items.get(ownerId, id), { schema: CachedItem.optional() });
 * ```
 */
export const CachedItem: z.ZodType<Item, unknown> = z.object({
  id: z.int(),
  ownerId: z.int(),
  title: z.string(),
  description: z.string().nullable(),
  price: z.number(),
  views: z.int(),
  createdAt: z.coerce.date(),
});

/**
 * A page of {@link CachedItem}s.
 *
 * @example
 * ```ts
 * await cache.getOrSet(key, () => items.list(request), { schema: CachedItemPage });
 * ```
 */
export const CachedItemPage: z.ZodType<Page<Item>, unknown> = z.object({
  items: z.array(CachedItem),
  total: z.int(),
  page: z.int(),
  size: z.int(),
  pages: z.int(),
});
