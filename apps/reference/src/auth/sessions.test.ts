import { expect, it } from "vitest";
import { RefreshTokenRepository } from "../repositories/refresh-tokens.ts";
import { UsersRepository } from "../repositories/users.ts";
import { describeEachDatabase } from "../testing/databases.ts";
import { Sessions } from "./sessions.ts";
import { tokenConfig } from "./token-config.ts";
import { issueAccessToken, verifyAccess, verifyRefresh } from "./tokens.ts";

const config = tokenConfig({
  secret: "sessions-test-secret-sessions-test-secret",
  issuer: "velox-test",
  audience: "velox-test-api",
  accessTtlSeconds: 900,
  refreshTtlSeconds: 3600,
});

describeEachDatabase("Sessions", (t) => {
  const setup = async (scopes = ["read", "write"]) => {
    const users = new UsersRepository(t.db);
    const user = await users.create({ username: "alice", email: "alice@example.com", hashedPassword: "h", scopes });
    const sessions = new Sessions(config, new RefreshTokenRepository(t.db), (id) => users.getById(id));
    return { users, user, sessions };
  };

  it("starts a session with the requested scopes the user holds", async () => {
    const { user, sessions } = await setup();
    const pair = await sessions.start(user, ["read", "admin"]);
    expect(await verifyAccess(config, pair.access_token)).toMatchObject({ ok: true, claims: { userId: user.id, scopes: ["read"] } });
    const all = await sessions.start(user);
    expect(await verifyAccess(config, all.access_token)).toMatchObject({ claims: { scopes: ["read", "write"] } });
  });

  it("rotates the refresh token on every refresh", async () => {
    const { user, sessions } = await setup();
    const first = await sessions.start(user, ["read"]);
    const second = await sessions.refresh(first.refresh_token);
    if (!second.ok) throw new Error(`refresh failed: ${second.reason}`);
    expect(second.tokens.refresh_token).not.toBe(first.refresh_token);
    expect(await verifyAccess(config, second.tokens.access_token)).toMatchObject({ claims: { scopes: ["read"] } });
    const third = await sessions.refresh(second.tokens.refresh_token);
    expect(third.ok).toBe(true);
  });

  it("revokes the family when a rotated refresh token is reused", async () => {
    const { user, sessions } = await setup();
    const stolen = await sessions.start(user);
    const legit = await sessions.refresh(stolen.refresh_token);
    if (!legit.ok) throw new Error("refresh failed");
    expect(await sessions.refresh(stolen.refresh_token)).toEqual({ ok: false, reason: "reused" });
    // The legitimate holder's newer token died with the family.
    expect(await sessions.refresh(legit.tokens.refresh_token)).toEqual({ ok: false, reason: "revoked" });
  });

  it("refuses an access token presented as a refresh token", async () => {
    const { user, sessions } = await setup();
    const pair = await sessions.start(user);
    expect(await sessions.refresh(pair.access_token)).toEqual({ ok: false, reason: "wrong_type" });
    const forged = await issueAccessToken(config, { userId: user.id, scopes: [] });
    expect(await sessions.refresh(forged.token)).toEqual({ ok: false, reason: "wrong_type" });
  });

  it("ends the family of a deactivated user and drops scopes the user lost", async () => {
    const { users, user, sessions } = await setup();
    const pair = await sessions.start(user);
    await t.db.updateTable("users").set({ scopes: "read" }).where("id", "=", user.id).execute();
    const narrowed = await sessions.refresh(pair.refresh_token);
    if (!narrowed.ok) throw new Error("refresh failed");
    expect(await verifyAccess(config, narrowed.tokens.access_token)).toMatchObject({ claims: { scopes: ["read"] } });
    await users.setActive(user.id, false);
    expect(await sessions.refresh(narrowed.tokens.refresh_token)).toEqual({ ok: false, reason: "inactive" });
  });

  it("logs out by revoking the family", async () => {
    const { user, sessions } = await setup();
    const pair = await sessions.start(user);
    expect(await sessions.end(pair.refresh_token)).toBe(true);
    expect(await sessions.refresh(pair.refresh_token)).toEqual({ ok: false, reason: "revoked" });
    expect(await sessions.end("garbage")).toBe(false);
    const verified = await verifyRefresh(config, pair.refresh_token);
    expect(verified.ok).toBe(true);
  });
});
