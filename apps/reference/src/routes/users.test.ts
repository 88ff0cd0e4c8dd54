import { expect, it } from "vitest";
import { describeEachApp } from "../testing/app-harness.ts";

describeEachApp("/users", (t) => {
  it("GET /users/me answers the current user", async () => {
    const bob = await t.login("bob");
    const res = await t.client.get("/users/me", bob.auth);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      id: bob.user.id,
      username: "bob",
      email: "bob@example.com",
      full_name: null,
      is_active: true,
      is_superuser: false,
      scopes: ["read", "write"],
      created_at: bob.user.createdAt.toISOString(),
    });
  });

  it("lets a superuser with the admin scope read, list, deactivate and delete users", async () => {
    const root = await t.login("root", { superuser: true });
    const bob = await t.login("bob");
    const read = await t.client.get(`/users/${bob.user.id}`, root.auth);
    expect(read.status).toBe(200);
    expect(read.json()).toMatchObject({ username: "bob", is_superuser: false });
    const list = await t.client.get("/users", { ...root.auth, query: { size: 1, page: 2 } });
    expect(list.json()).toMatchObject({ total: 2, page: 2, size: 1, pages: 2, items: [{ username: "bob" }] });

    const off = await t.client.patch(`/users/${bob.user.id}`, { ...root.auth, json: { is_active: false } });
    expect(off.json()).toMatchObject({ username: "bob", is_active: false });
    // Deactivation revokes the refresh tokens and refuses the access token.
    expect((await t.client.post("/auth/refresh", { json: { refresh_token: bob.refresh } })).status).toBe(401);
    expect((await t.client.get("/users/me", bob.auth)).json()).toEqual({ detail: "Inactive user" });
    const on = await t.client.patch(`/users/${bob.user.id}`, { ...root.auth, json: { is_active: true } });
    expect(on.json()).toMatchObject({ is_active: true });
    expect((await t.client.get("/users/me", bob.auth)).status).toBe(200);

    const item = await t.client.post("/items", { ...bob.auth, json: { title: "x", price: 1 } });
    expect(item.status).toBe(201);
    expect((await t.client.delete(`/users/${bob.user.id}`, root.auth)).status).toBe(204);
    expect((await t.client.get(`/users/${bob.user.id}`, root.auth)).status).toBe(404);
    expect((await t.client.delete(`/users/${bob.user.id}`, root.auth)).status).toBe(404);
    expect((await t.client.patch(`/users/${bob.user.id}`, { ...root.auth, json: { is_active: true } })).status).toBe(404);
    expect(await t.services.items.list({})).toMatchObject({ total: 0 });
  });

  it("refuses administration to others: 403 for a non-superuser, 401 for a token without admin", async () => {
    const bob = await t.login("bob");
    const victim = await t.login("victim");
    // Even holding the admin scope does not make a user a superuser.
    const scoped = await t.login("scoped", { scopes: ["read", "write", "admin"] });
    const rootNoAdmin = await t.login("root", { superuser: true, requestScopes: ["read", "write"] });
    for (const who of [bob, scoped]) {
      const res = await t.client.get(`/users/${victim.user.id}`, who.auth);
      expect(res.status).toBe(who === bob ? 401 : 403);
    }
    expect((await t.client.get(`/users/${victim.user.id}`, scoped.auth)).json()).toEqual({ detail: "The user doesn't have enough privileges" });
    const noScope = await t.client.delete(`/users/${victim.user.id}`, rootNoAdmin.auth);
    expect(noScope.status).toBe(401);
    expect(noScope.headers["www-authenticate"]).toBe('Bearer scope="admin"');
    expect((await t.client.get("/users", bob.auth)).status).toBe(401);
    expect(await t.services.users.getById(victim.user.id)).toBeDefined();
  });

  it("stops a superuser from deleting or deactivating themselves", async () => {
    const root = await t.login("root", { superuser: true });
    expect((await t.client.delete(`/users/${root.user.id}`, root.auth)).status).toBe(403);
    expect((await t.client.patch(`/users/${root.user.id}`, { ...root.auth, json: { is_active: false } })).status).toBe(403);
    expect((await t.client.get("/users/me", root.auth)).json()).toMatchObject({ is_superuser: true, is_active: true });
  });
});
