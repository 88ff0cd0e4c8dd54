import { expect, it } from "vitest";
import { describeEachApp, type LoggedIn } from "../testing/app-harness.ts";

describeEachApp("admin views", (t) => {
  it("GET /users-with-items answers each user with their items in a constant number of queries", async () => {
    const root = await t.login("root", { superuser: true });
    const owners: LoggedIn[] = [];
    for (const name of ["u1", "u2", "u3", "u4"]) owners.push(await t.login(name));
    for (const [index, owner] of owners.entries()) {
      for (let i = 0; i <= index; i++) await t.client.post("/items", { ...owner.auth, json: { title: `${owner.user.username}-${i}`, price: i } });
    }
    const queriesFor = async (size: number) => {
      const before = t.queries;
      const res = await t.client.get("/users-with-items", { ...root.auth, query: { size } });
      expect(res.status).toBe(200);
      return { rows: res.json() as { username: string; items: { owner_id: number }[] }[], queries: t.queries - before };
    };
    const one = await queriesFor(1);
    const all = await queriesFor(10);
    expect(one.rows).toHaveLength(1);
    expect(all.rows.map((u) => [u.username, u.items.length])).toEqual([["root", 0], ["u1", 1], ["u2", 2], ["u3", 3], ["u4", 4]]);
    expect(all.rows[4]!.items.every((item) => item.owner_id === owners[3]!.user.id)).toBe(true);
    // One query loads the caller, two load the page: never one more per user.
    expect(all.queries).toBe(one.queries);
    expect(all.queries).toBe(3);
  });

  it("GET /dashboard answers the site-wide counts", async () => {
    const root = await t.login("root", { superuser: true });
    const bob = await t.login("bob");
    await t.login("off", { isActive: false });
    const item = (await t.client.post("/items", { ...bob.auth, json: { title: "x", price: 1 } })).json();
    await t.client.get(`/items/${item.id}`, bob.auth);
    await t.services.views.flush();
    const res = await t.client.get("/dashboard", root.auth);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ users: 3, active_users: 2, items: 1, total_views: 1 });
    expect((await t.client.get("/dashboard", bob.auth)).status).toBe(401);
  });
});
