import { expect, it, vi } from "vitest";
import { UsersRepository } from "../repositories/users.ts";
import { describeEachDatabase } from "../testing/databases.ts";
import { authenticate } from "./login.ts";
import { DEFAULT_PASSWORD_POLICY, PasswordHasher } from "./passwords.ts";

describeEachDatabase("authenticate", (t) => {
  const passwords = new PasswordHasher();
  const setup = async (hasher = passwords, isActive = true) => {
    const users = new UsersRepository(t.db);
    const hashedPassword = await hasher.hash("s3cret-pass");
    const user = await users.create({ username: "alice", email: "alice@example.com", hashedPassword, isActive });
    return { users, user };
  };

  it("accepts the right password", async () => {
    const { users, user } = await setup();
    expect(await authenticate(users, passwords, "alice", "s3cret-pass")).toEqual({ ok: true, user });
  });

  it("answers the same for an unknown user and a wrong password, verifying against the dummy hash", async () => {
    const { users } = await setup();
    const check = vi.spyOn(passwords, "check");
    const unknown = await authenticate(users, passwords, "mallory", "s3cret-pass");
    const wrong = await authenticate(users, passwords, "alice", "wrong-pass");
    expect(unknown).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(wrong).toEqual(unknown);
    expect(check.mock.calls.map(([hash]) => hash === undefined)).toEqual([true, false]);
    check.mockRestore();
  });

  it("refuses an oversize password without hashing it", async () => {
    const { users } = await setup();
    const verify = vi.spyOn(passwords, "verify");
    expect(await authenticate(users, passwords, "alice", "x".repeat(100_000))).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await verify.mock.results[0]?.value).toBe(false);
    verify.mockRestore();
  });

  it("says inactive only after a correct password", async () => {
    const { users } = await setup(passwords, false);
    expect(await authenticate(users, passwords, "alice", "wrong")).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await authenticate(users, passwords, "alice", "s3cret-pass")).toEqual({ ok: false, reason: "inactive" });
  });

  it("rehashes on login when the parameters changed", async () => {
    const old = new PasswordHasher({ ...DEFAULT_PASSWORD_POLICY, memoryCost: 8192 });
    const { users } = await setup(old);
    expect((await authenticate(users, passwords, "alice", "s3cret-pass")).ok).toBe(true);
    const stored = (await users.getCredentials("alice"))?.hashedPassword ?? "";
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(passwords.needsRehash(stored)).toBe(false);
  });
});
