import { describe, expect, it, vi } from "vitest";
import { ItemListCache } from "./item-list-cache.ts";
import type { ItemListRequest } from "./items.ts";
import type { Page } from "./pagination.ts";
import type { Item } from "./rows.ts";

function fakeItems() {
  let calls = 0;
  const list = vi.fn(async (request: ItemListRequest): Promise<Page<Item>> => {
    calls++;
    return { items: [], total: calls, page: request.page ?? 1, size: request.size ?? 50, pages: 0 };
  });
  return { list };
}

describe("ItemListCache", () => {
  const request = { ownerId: 1, page: 1, size: 20, sort: "price", order: "asc" } as const;

  it("serves a page from memory until the owner writes", async () => {
    const items = fakeItems();
    const cache = new ItemListCache(items, { ttlMs: 60_000 });
    expect((await cache.list(request)).total).toBe(1);
    expect((await cache.list(request)).total).toBe(1);
    expect((await cache.list({ ...request, page: 2 })).total).toBe(2);
    expect((await cache.list({ ...request, ownerId: 2 })).total).toBe(3);
    cache.invalidate(1);
    expect((await cache.list(request)).total).toBe(4);
    expect((await cache.list({ ...request, ownerId: 2 })).total).toBe(3);
  });

  it("does not keep a page read while the owner was writing", async () => {
    const items = fakeItems();
    const cache = new ItemListCache(items, { ttlMs: 60_000 });
    const reading = cache.list(request);
    cache.invalidate(1);
    expect((await reading).total).toBe(1);
    expect((await cache.list(request)).total).toBe(2);
  });

  it("always reads through with a TTL of 0", async () => {
    const items = fakeItems();
    const cache = new ItemListCache(items, { ttlMs: 0 });
    await cache.list(request);
    await cache.list(request);
    cache.invalidate(1);
    expect(items.list).toHaveBeenCalledTimes(2);
  });
});
