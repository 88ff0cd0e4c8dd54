import { describe, expect, it } from "vitest";
import { describeEachDatabase } from "../testing/databases.ts";
import { DuplicateError } from "./errors.ts";
import { UsersRepository, type NewUser } from "./users.ts";

const alice: NewUser = { username: "alice", email: "Alice@Example.com", hashedPassword: "$argon2id$fake", fullName: "Alice A", scopes: ["read", "write"] };

describeEachDatabase("UsersRepository", (t) => {
  const users = () => new UsersRepository(t.db);

  it("creates a user with defaults and reads it back by id and username", async () => {
    const created = await users().create(alice);
    expect(created).toMatchObject({
      username: "alice",
      email: "alice@example.com",
      fullName: "Alice A",
      isActive: true,
      isSuperuser: false,
      scopes: ["read", "write"],
    });
    expect(created.id).toBeGreaterThan(0);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(created.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(created).not.toHaveProperty("hashedPassword");
    expect(await users().getById(created.id)).toEqual(created);
    expect(await users().getByUsername("alice")).toEqual(created);
    expect(await users().getById(created.id + 1000)).toBeUndefined();
    expect(await users().getByUsername("nobody")).toBeUndefined();
  });

  it("throws DuplicateError naming the field for a taken username or email", async () => {
    await users().create(alice);
    const sameName = users().create({ ...alice, email: "other@example.com" });
    await expect(sameName).rejects.toBeInstanceOf(DuplicateError);
    await expect(sameName).rejects.toMatchObject({ field: "username" });
    const sameEmail = users().create({ ...alice, username: "alice2", email: "ALICE@example.com" });
    await expect(sameEmail).rejects.toMatchObject({ name: "DuplicateError", field: "email" });
  });

  it("returns credentials only through getCredentials and updates the hash", async () => {
    const user = await users().create(alice);
    expect(await users().getCredentials("alice")).toEqual({ user, hashedPassword: "$argon2id$fake" });
    await users().updatePasswordHash(user.id, "$argon2id$new");
    expect((await users().getCredentials("alice"))?.hashedPassword).toBe("$argon2id$new");
    expect(await users().getCredentials("ghost")).toBeUndefined();
  });

  it("stores booleans faithfully", async () => {
    const admin = await users().create({ ...alice, username: "root", email: "root@example.com", isSuperuser: true, isActive: false });
    expect(admin).toMatchObject({ isSuperuser: true, isActive: false });
    expect(await users().setActive(admin.id, true)).toBe(true);
    expect((await users().getById(admin.id))?.isActive).toBe(true);
    expect(await users().setActive(admin.id + 1000, true)).toBe(false);
  });

  it("lists users page by page with the total", async () => {
    for (let i = 0; i < 5; i++) await users().create({ ...alice, username: `u${i}`, email: `u${i}@example.com` });
    const page = await users().list({ page: 2, size: 2 });
    expect(page).toMatchObject({ total: 5, page: 2, size: 2, pages: 3 });
    expect(page.items.map((u) => u.username)).toEqual(["u2", "u3"]);
    expect((await users().list({ page: 1, size: 1000 })).size).toBe(100);
  });

  it("deletes a user and cascades to their items", async () => {
    const user = await users().create(alice);
    await t.db.insertInto("items").values({ owner_id: user.id, title: "x", price: 1, created_at: new Date().toISOString() }).execute();
    expect(await users().delete(user.id)).toBe(true);
    expect(await users().delete(user.id)).toBe(false);
    expect(await t.db.selectFrom("items").selectAll().execute()).toEqual([]);
  });
});

describe("DuplicateError", () => {
  it("names the field", () => {
    expect(new DuplicateError("email").message).toBe("email already exists");
  });
});
