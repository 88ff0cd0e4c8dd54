import { expect, it } from "vitest";
import { countQueries } from "../testing/query-counter.ts";
import { describeEachDatabase } from "../testing/databases.ts";
import { dashboardCounts } from "./dashboard.ts";
import { ItemsRepository, type ItemSortField } from "./items.ts";
import { UsersRepository } from "./users.ts";
import { usersWithItems } from "./users-with-items.ts";
import type { User } from "./rows.ts";

describeEachDatabase("ItemsRepository", (t) => {
  const items = () => new ItemsRepository(t.db);
  const makeUser = (name: string, isActive = true) =>
    new UsersRepository(t.db).create({ username: name, email: `${name}@example.com`, hashedPassword: "h", isActive });

  it("creates, reads, updates and deletes an owner's item", async () => {
    const owner = await makeUser("owner");
    const item = await items().create(owner.id, { title: "Lamp", description: "brass", price: 12.5 });
    expect(item).toMatchObject({ ownerId: owner.id, title: "Lamp", description: "brass", price: 12.5, views: 0 });
    expect(item.createdAt).toBeInstanceOf(Date);
    expect(await items().get(owner.id, item.id)).toEqual(item);
    const updated = await items().update(owner.id, item.id, { price: 10, description: null });
    expect(updated).toMatchObject({ title: "Lamp", price: 10, description: null });
    expect(await items().update(owner.id, item.id, {})).toEqual(updated);
    expect(await items().delete(owner.id, item.id)).toBe(true);
    expect(await items().get(owner.id, item.id)).toBeUndefined();
    expect(await items().delete(owner.id, item.id)).toBe(false);
  });

  it("treats another user's item as not found for every operation", async () => {
    const owner = await makeUser("owner");
    const intruder = await makeUser("intruder");
    const item = await items().create(owner.id, { title: "Safe", price: 1 });
    expect(await items().get(intruder.id, item.id)).toBeUndefined();
    expect(await items().update(intruder.id, item.id, { title: "mine" })).toBeUndefined();
    expect(await items().delete(intruder.id, item.id)).toBe(false);
    expect(await items().get(owner.id, item.id)).toMatchObject({ title: "Safe" });
    expect((await items().list({ ownerId: intruder.id })).total).toBe(0);
  });

  it("rejects an item for an owner that does not exist (foreign key)", async () => {
    await expect(items().create(999_999, { title: "orphan", price: 1 })).rejects.toThrow();
  });

  it("paginates with total and pages, capping size at 100", async () => {
    const owner = await makeUser("owner");
    const other = await makeUser("other");
    for (let i = 0; i < 7; i++) await items().create(owner.id, { title: `t${i}`, price: i });
    await items().create(other.id, { title: "theirs", price: 100 });
    const page = await items().list({ ownerId: owner.id, page: 2, size: 3, sort: "price", order: "asc" });
    expect(page).toMatchObject({ total: 7, page: 2, size: 3, pages: 3 });
    expect(page.items.map((i) => i.price)).toEqual([3, 4, 5]);
    const last = await items().list({ ownerId: owner.id, page: 3, size: 3, sort: "price", order: "asc" });
    expect(last.items.map((i) => i.price)).toEqual([6]);
    const beyond = await items().list({ ownerId: owner.id, page: 9, size: 3 });
    expect(beyond).toMatchObject({ items: [], total: 7, pages: 3 });
    expect((await items().list({ size: 10_000 })).size).toBe(100);
    expect((await items().list({ size: 0 })).size).toBe(1);
    expect((await items().list({})).total).toBe(8);
  });

  it("sorts by each whitelisted column both ways, with id breaking ties", async () => {
    const owner = await makeUser("owner");
    await items().create(owner.id, { title: "b", price: 2 });
    await items().create(owner.id, { title: "a", price: 2 });
    await items().create(owner.id, { title: "c", price: 1 });
    const titles = async (sort: ItemSortField, order: "asc" | "desc") =>
      (await items().list({ ownerId: owner.id, sort, order })).items.map((i) => i.title);
    expect(await titles("title", "asc")).toEqual(["a", "b", "c"]);
    expect(await titles("title", "desc")).toEqual(["c", "b", "a"]);
    expect(await titles("price", "asc")).toEqual(["c", "b", "a"]);
    expect(await titles("price", "desc")).toEqual(["a", "b", "c"]);
    expect(await titles("id", "asc")).toEqual(["b", "a", "c"]);
    expect(await titles("created_at", "desc")).toEqual(["c", "a", "b"]);
  });

  it("refuses a sort column outside the whitelist", async () => {
    const bad = { sort: "hashed_password; --" as ItemSortField };
    await expect(items().list(bad)).rejects.toBeInstanceOf(RangeError);
    await expect(items().list({ order: "sideways" as "asc" })).rejects.toBeInstanceOf(RangeError);
  });

  it("counts views and lists popular items", async () => {
    const owner = await makeUser("owner");
    const [a, b, c] = await Promise.all(["a", "b", "c"].map((title) => items().create(owner.id, { title, price: 1 })));
    await Promise.all([b, b, b, c].map((item) => items().recordView(item!.id)));
    const popular = await items().popular(2);
    expect(popular.map((i) => [i.title, i.views])).toEqual([
      ["b", 3],
      ["c", 1],
    ]);
    expect((await items().popular(10)).at(-1)?.id).toBe(a!.id);
  });

  it("loads users with their items in two queries, not one per user", async () => {
    const users: User[] = [];
    for (const name of ["u1", "u2", "u3", "u4"]) users.push(await makeUser(name));
    for (const [index, user] of users.entries()) {
      for (let i = 0; i < index; i++) await items().create(user.id, { title: `${user.username}-${i}`, price: i });
    }
    const counted = countQueries(t.db);
    const rows = await usersWithItems(counted.db, { page: 1, size: 10 });
    expect(counted.count).toBe(2);
    expect(rows.map((u) => [u.username, u.items.length])).toEqual([
      ["u1", 0],
      ["u2", 1],
      ["u3", 2],
      ["u4", 3],
    ]);
    expect(rows[3]?.items.every((item) => item.ownerId === users[3]?.id)).toBe(true);
    const empty = countQueries(t.db);
    expect(await usersWithItems(empty.db, { page: 5, size: 10 })).toEqual([]);
    expect(empty.count).toBe(1);
  });

  it("computes dashboard counts", async () => {
    const active = await makeUser("active");
    await makeUser("inactive", false);
    const item = await items().create(active.id, { title: "x", price: 1 });
    await items().create(active.id, { title: "y", price: 1 });
    await items().recordView(item.id);
    await items().recordView(item.id);
    const counted = countQueries(t.db);
    expect(await dashboardCounts(counted.db)).toEqual({ users: 2, activeUsers: 1, items: 2, totalViews: 2 });
    expect(counted.count).toBe(4);
    await t.db.deleteFrom("items").execute();
    expect((await dashboardCounts(t.db)).totalViews).toBe(0);
  });
});
