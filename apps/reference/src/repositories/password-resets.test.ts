import { expect, it } from "vitest";
import { describeEachDatabase } from "../testing/databases.ts";
import { PasswordResetRepository } from "./password-resets.ts";
import { UsersRepository } from "./users.ts";

describeEachDatabase("PasswordResetRepository", (t) => {
  const resets = () => new PasswordResetRepository(t.db);
  const makeUser = (name = "alice") => new UsersRepository(t.db).create({ username: name, email: `${name}@Example.com`, hashedPassword: "h" });

  it("answers the user once per token, then never again", async () => {
    const user = await makeUser();
    const token = await resets().issue(user.id, 60);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [first, second] = await Promise.all([resets().consume(token), resets().consume(token)]);
    expect([first, second].sort()).toEqual([null, user.id].sort());
    expect(await resets().consume(token)).toBeNull();
  });

  it("stores only a hash of the token", async () => {
    const user = await makeUser();
    const token = await resets().issue(user.id, 60);
    const rows = await t.db.selectFrom("password_reset_tokens").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses expired, unknown and malformed tokens, and tokens replaced by a newer one", async () => {
    const user = await makeUser();
    const expired = await resets().issue(user.id, 60, new Date(Date.now() - 120_000));
    expect(await resets().consume(expired)).toBeNull();
    const older = await resets().issue(user.id, 60);
    const newer = await resets().issue(user.id, 60);
    expect(await resets().consume(older)).toBeNull();
    expect(await resets().consume("A".repeat(43))).toBeNull();
    expect(await resets().consume("'; DROP TABLE users; --")).toBeNull();
    expect(await resets().consume("")).toBeNull();
    expect(await resets().consume(newer)).toBe(user.id);
  });

  it("finds active users by e-mail, case-insensitively", async () => {
    const user = await makeUser("bob");
    expect(await resets().findActiveUserByEmail("BOB@example.COM")).toMatchObject({ id: user.id, username: "bob" });
    await new UsersRepository(t.db).setActive(user.id, false);
    expect(await resets().findActiveUserByEmail("bob@example.com")).toBeUndefined();
    expect(await resets().findActiveUserByEmail("nobody@example.com")).toBeUndefined();
  });
});
