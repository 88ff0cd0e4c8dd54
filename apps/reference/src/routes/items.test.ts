import { expect, it } from "vitest";
import { describeEachApp, type LoggedIn } from "../testing/app-harness.ts";

describeEachApp("/items", (t) => {
  const create = (who: LoggedIn, json: unknown) => t.client.post("/items", { ...who.auth, json });

  it("creates, reads, updates and deletes the owner's item", async () => {
    const bob = await t.login("bob");
    const created = await create(bob, { title: "  Lamp ", description: "brass", price: 12.5 });
    expect(created.status).toBe(201);
    const item = created.json();
    expect(item).toEqual({
      id: expect.any(Number),
      owner_id: bob.user.id,
      title: "Lamp",
      description: "brass",
      price: 12.5,
      views: 0,
      created_at: expect.stringMatching(/Z$/),
    });
    expect((await t.client.get(`/items/${item.id}`, bob.auth)).json()).toEqual(item);
    const patched = await t.client.patch(`/items/${item.id}`, { ...bob.auth, json: { price: 10, description: null } });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({ title: "Lamp", price: 10, description: null });
    const deleted = await t.client.delete(`/items/${item.id}`, bob.auth);
    expect(deleted.status).toBe(204);
    expect((await t.client.get(`/items/${item.id}`, bob.auth)).status).toBe(404);
    expect((await t.client.delete(`/items/${item.id}`, bob.auth)).status).toBe(404);
  });

  it("answers 404 for another user's item on every operation, and leaves it alone", async () => {
    const bob = await t.login("bob");
    const eve = await t.login("eve");
    const item = (await create(bob, { title: "Safe", price: 1 })).json();
    for (const res of [
      await t.client.get(`/items/${item.id}`, eve.auth),
      await t.client.patch(`/items/${item.id}`, { ...eve.auth, json: { title: "mine" } }),
      await t.client.delete(`/items/${item.id}`, eve.auth),
    ]) {
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({ detail: "Item not found" });
    }
    expect((await t.client.get(`/items/${item.id}`, bob.auth)).json()).toMatchObject({ title: "Safe", views: expect.any(Number) });
    expect((await t.client.get("/items", eve.auth)).json()).toMatchObject({ items: [], total: 0 });
  });

  it("validates the body and the id", async () => {
    const bob = await t.login("bob");
    const bad = await create(bob, { title: "", price: -1, owner_id: 99 });
    expect(bad.status).toBe(422);
    expect(bad.json().detail.map((d: { loc: string[]; type: string }) => `${d.loc.join(".")}:${d.type}`).sort()).toEqual([
      "body.owner_id:extra_forbidden",
      "body.price:greater_than_equal",
      "body.title:string_too_short",
    ]);
    expect((await t.client.get("/items/abc", bob.auth)).json().detail[0]).toMatchObject({ type: "int_parsing", loc: ["path", "item_id"] });
    expect((await t.client.get("/items/0", bob.auth)).status).toBe(422);
  });

  it("needs the write scope to change items and the read scope to see them", async () => {
    const reader = await t.login("reader", { requestScopes: ["read"] });
    const writer = await t.login("writer", { requestScopes: ["write"] });
    const denied = await create(reader, { title: "x", price: 1 });
    expect(denied.status).toBe(401);
    expect(denied.headers["www-authenticate"]).toBe('Bearer scope="write"');
    expect((await create(writer, { title: "x", price: 1 })).status).toBe(201);
    expect((await t.client.get("/items", writer.auth)).status).toBe(401);
    expect((await t.client.get("/items", reader.auth)).status).toBe(200);
    expect((await t.client.get("/items")).status).toBe(401);
  });

  it("paginates with Page[Item]: items, total, page, size, pages", async () => {
    const bob = await t.login("bob");
    const eve = await t.login("eve");
    for (let i = 0; i < 7; i++) await create(bob, { title: `t${i}`, price: i });
    await create(eve, { title: "theirs", price: 100 });
    const page = await t.client.get("/items", { ...bob.auth, query: { page: 2, size: 3, sort: "price", order: "asc" } });
    expect(page.status).toBe(200);
    const body = page.json();
    expect(body).toMatchObject({ total: 7, page: 2, size: 3, pages: 3 });
    expect(body.items.map((i: { price: number }) => i.price)).toEqual([3, 4, 5]);
    expect(Object.keys(body).sort()).toEqual(["items", "page", "pages", "size", "total"]);
    const defaults = (await t.client.get("/items", bob.auth)).json();
    expect(defaults).toMatchObject({ page: 1, size: 50, total: 7, pages: 1 });
    expect(defaults.items.map((i: { title: string }) => i.title)).toEqual(["t6", "t5", "t4", "t3", "t2", "t1", "t0"]);
    expect((await t.client.get("/items", { ...bob.auth, query: { page: 9, size: 3 } })).json()).toMatchObject({ items: [], total: 7 });
  });

  it("caps the page size at 100 with a 422 and checks page and sort against their rules", async () => {
    const bob = await t.login("bob");
    expect((await t.client.get("/items", { ...bob.auth, query: { size: 100 } })).status).toBe(200);
    const over = await t.client.get("/items", { ...bob.auth, query: { size: 101 } });
    expect(over.status).toBe(422);
    expect(over.json().detail[0]).toMatchObject({ type: "less_than_equal", loc: ["query", "size"], ctx: { le: 100 } });
    expect((await t.client.get("/items", { ...bob.auth, query: { page: 0 } })).json().detail[0]).toMatchObject({ loc: ["query", "page"] });
    const injection = await t.client.get("/items", { ...bob.auth, query: { sort: "hashed_password" } });
    expect(injection.status).toBe(422);
    expect(injection.json().detail[0]).toMatchObject({ type: "literal_error", loc: ["query", "sort"] });
    expect((await t.client.get("/items", { ...bob.auth, query: { order: "sideways" } })).status).toBe(422);
  });

  it("sorts by each whitelisted column both ways", async () => {
    const bob = await t.login("bob");
    for (const [title, price] of [["b", 2], ["a", 3], ["c", 1]] as const) await create(bob, { title, price });
    const titles = async (sort: string, order: string) =>
      (await t.client.get("/items", { ...bob.auth, query: { sort, order } })).json().items.map((i: { title: string }) => i.title).join("");
    expect(await titles("title", "asc")).toBe("abc");
    expect(await titles("title", "desc")).toBe("cba");
    expect(await titles("price", "asc")).toBe("cba");
    expect(await titles("id", "asc")).toBe("bac");
    expect(await titles("created_at", "desc")).toBe("cab");
    expect(await titles("views", "desc")).toHaveLength(3);
  });

  it("counts views after each read and lists the most viewed items of all users", async () => {
    const bob = await t.login("bob");
    const eve = await t.login("eve");
    const a = (await create(bob, { title: "a", price: 1 })).json();
    const b = (await create(eve, { title: "b", price: 1 })).json();
    for (let i = 0; i < 3; i++) await t.client.get(`/items/${b.id}`, eve.auth);
    await t.client.get(`/items/${a.id}`, bob.auth);
    // Views are counted in memory and written in batches.
    expect(t.services.views.pending).toBe(4);
    expect((await t.services.items.get(eve.user.id, b.id))?.views).toBe(0);
    await t.services.views.flush();
    expect((await t.services.items.get(eve.user.id, b.id))?.views).toBe(3);
    expect((await t.services.items.get(bob.user.id, a.id))?.views).toBe(1);
    const popular = await t.client.get("/items/popular", { ...bob.auth, query: { limit: 2 } });
    expect(popular.status).toBe(200);
    expect(popular.json().map((i: { title: string; views: number }) => [i.title, i.views])).toEqual([["b", 3], ["a", 1]]);
    expect((await t.client.get("/items/popular", { ...bob.auth, query: { limit: 101 } })).status).toBe(422);
  });

  it("serves list pages from memory, yet shows the owner's own changes at once", async () => {
    const bob = await t.login("bob");
    const titles = async () => (await t.client.get("/items", { ...bob.auth, query: { sort: "title", order: "asc" } })).json().items.map((i: { title: string }) => i.title);
    const a = (await create(bob, { title: "a", price: 1 })).json();
    expect(await titles()).toEqual(["a"]);
    // A change behind the app's back is not seen while the page is cached...
    await t.services.database.db.updateTable("items").set({ title: "changed elsewhere" }).where("id", "=", a.id).execute();
    expect(await titles()).toEqual(["a"]);
    // ...but every write through the API is.
    await create(bob, { title: "b", price: 1 });
    expect(await titles()).toEqual(["b", "changed elsewhere"]);
    await t.client.patch(`/items/${a.id}`, { ...bob.auth, json: { title: "c" } });
    expect(await titles()).toEqual(["b", "c"]);
    await t.client.delete(`/items/${a.id}`, bob.auth);
    expect(await titles()).toEqual(["b"]);
  });
});
