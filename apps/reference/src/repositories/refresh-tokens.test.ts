import { expect, it } from "vitest";
import { describeEachDatabase } from "../testing/databases.ts";
import { RefreshTokenRepository } from "./refresh-tokens.ts";
import { UsersRepository } from "./users.ts";

const DAY = 24 * 60 * 60 * 1000;

describeEachDatabase("RefreshTokenRepository", (t) => {
  const tokens = () => new RefreshTokenRepository(t.db);
  const later = () => new Date(Date.now() + 7 * DAY);
  const makeUser = (name = "alice") => new UsersRepository(t.db).create({ username: name, email: `${name}@example.com`, hashedPassword: "h" });

  it("issues a token in a new family and rotates it within that family", async () => {
    const user = await makeUser();
    const first = await tokens().issue(user.id, later());
    expect(first.jti).toMatch(/^[0-9a-f-]{36}$/);
    const rotated = await tokens().rotate(first.jti, user.id, later());
    expect(rotated.status).toBe("rotated");
    if (rotated.status !== "rotated") return;
    expect(rotated.token.familyId).toBe(first.familyId);
    expect(rotated.token.jti).not.toBe(first.jti);
    expect((await tokens().find(first.jti))?.usedAt).toBeInstanceOf(Date);
    expect((await tokens().find(rotated.token.jti))?.usedAt).toBeNull();
  });

  it("revokes the whole family when a rotated token is presented again", async () => {
    const user = await makeUser();
    const first = await tokens().issue(user.id, later());
    const second = await tokens().rotate(first.jti, user.id, later());
    if (second.status !== "rotated") throw new Error("expected a rotation");
    const other = await tokens().issue(user.id, later());

    expect(await tokens().rotate(first.jti, user.id, later())).toEqual({ status: "reused", familyId: first.familyId });
    expect((await tokens().find(second.token.jti))?.revokedAt).toBeInstanceOf(Date);
    expect(await tokens().rotate(second.token.jti, user.id, later())).toEqual({ status: "revoked" });
    // Another login's family is untouched.
    expect((await tokens().rotate(other.jti, user.id, later())).status).toBe("rotated");
  });

  it("lets only one of two concurrent rotations win, and then revokes the family", async () => {
    const user = await makeUser();
    const first = await tokens().issue(user.id, later());
    const results = await Promise.all([tokens().rotate(first.jti, user.id, later()), tokens().rotate(first.jti, user.id, later())]);
    expect(results.map((r) => r.status).sort()).toEqual(["reused", "rotated"]);
    const winner = results.find((r) => r.status === "rotated");
    if (winner?.status !== "rotated") throw new Error("expected a winner");
    expect((await tokens().find(winner.token.jti))?.revokedAt).toBeInstanceOf(Date);
  });

  it("refuses expired, unknown and other users' tokens", async () => {
    const alice = await makeUser("alice");
    const bob = await makeUser("bob");
    const old = await tokens().issue(alice.id, new Date(Date.now() - 1000));
    expect(await tokens().rotate(old.jti, alice.id, later())).toEqual({ status: "expired" });
    expect(await tokens().rotate("no-such-jti", alice.id, later())).toEqual({ status: "unknown" });
    const alices = await tokens().issue(alice.id, later());
    expect(await tokens().rotate(alices.jti, bob.id, later())).toEqual({ status: "unknown" });
    expect((await tokens().rotate(alices.jti, alice.id, later())).status).toBe("rotated");
  });

  it("revokes all of a user's tokens and purges expired ones", async () => {
    const user = await makeUser();
    await tokens().issue(user.id, later());
    await tokens().issue(user.id, later());
    await tokens().issue(user.id, new Date(Date.now() - DAY));
    expect(await tokens().revokeAllForUser(user.id)).toBe(3);
    expect(await tokens().revokeAllForUser(user.id)).toBe(0);
    expect(await tokens().purgeExpired()).toBe(1);
    expect(await tokens().find("missing")).toBeUndefined();
  });
});
