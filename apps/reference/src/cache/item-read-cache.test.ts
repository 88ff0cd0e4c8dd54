import { describe, expect, it } from "vitest";
import { createCache } from "velox/cache";
import type { ItemListRequest } from "../repositories/items.ts";
import type { Page } from "../repositories/pagination.ts";
import type { Item } from "../repositories/rows.ts";
import { ItemReadCache } from "./item-read-cache.ts";

function countingItems() {
  const calls = { list: 0, get: 0, popular: 0 };
  const item = (id: number, ownerId: number): Item => ({ id, ownerId, title: `t${id}`, description: null, price: 1, views: calls.get, createdAt: new Date(0) });
  return {
    calls,
    list: async (request: ItemListRequest): Promise<Page<Item>> => ({ items: [], total: ++calls.list, page: request.page ?? 1, size: request.size ?? 50, pages: 0 }),
    get: async (ownerId: number, id: number) => (calls.get++, id === 404 ? undefined : item(id, ownerId)),
    popular: async (limit: number) => (calls.popular++, [item(1, 1)].slice(0, limit)),
  };
}

describe("ItemReadCache", () => {
  const request = { ownerId: 1, page: 1, size: 20, sort: "price", order: "asc" } as const;

  it("serves pages, items and the popular list from the cache until the owner writes", async () => {
    const items = countingItems();
    const reads = new ItemReadCache(items, await createCache(), { listTtlMs: 60_000, itemTtlMs: 60_000 });
    expect((await reads.list(request)).total).toBe(1);
    expect((await reads.list(request)).total).toBe(1);
    expect((await reads.list({ ...request, ownerId: 2 })).total).toBe(2);
    await reads.get(1, 7);
    await reads.get(1, 7);
    await reads.popular(10);
    await reads.popular(10);
    expect(items.calls).toEqual({ list: 2, get: 1, popular: 1 });
    await reads.invalidateOwner(1);
    expect((await reads.list(request)).total).toBe(3);
    expect((await reads.list({ ...request, ownerId: 2 })).total).toBe(2);
    await reads.get(1, 7);
    await reads.popular(10);
    expect(items.calls).toEqual({ list: 3, get: 2, popular: 2 });
  });

  it("does not cache a missing item, and reads through with TTLs of 0", async () => {
    const items = countingItems();
    const reads = new ItemReadCache(items, await createCache(), { listTtlMs: 0, itemTtlMs: 60_000 });
    expect(await reads.get(1, 404)).toBeUndefined();
    expect(await reads.get(1, 404)).toBeUndefined();
    await reads.list(request);
    await reads.list(request);
    expect(items.calls).toMatchObject({ get: 2, list: 2 });
  });

  it("does not keep a page read while the owner was writing", async () => {
    const items = countingItems();
    const reads = new ItemReadCache(items, await createCache(), { listTtlMs: 60_000, itemTtlMs: 60_000 });
    const reading = reads.list(request);
    await reads.invalidateOwner(1);
    expect((await reading).total).toBe(1);
    expect((await reads.list(request)).total).toBe(2);
  });
});
