/**
 * Regression (issue 12, defect 5): `alice` and `Alice` could both be registered — two accounts a
 * person cannot tell apart. Usernames are now unique whatever their case (a unique index on
 * `lower(username)`), keep the case they were registered with, and log in whatever the case.
 */
import { expect, it } from "vitest";
import { describeEachApp } from "../testing/app-harness.ts";

const account = (username: string, email = `${username.toLowerCase()}-${Math.random().toString(36).slice(2)}@example.com`) => ({
  username,
  email,
  password: "correct horse battery",
});

describeEachApp("usernames differing only in case", (t) => {
  it("cannot both be registered: the second gets the duplicate-username 400", async () => {
    expect((await t.client.post("/auth/register", { json: account("alice") })).status).toBe(201);
    for (const name of ["Alice", "ALICE", "aLiCe"]) {
      const res = await t.client.post("/auth/register", { json: account(name) });
      expect([res.status, res.json()]).toEqual([400, { detail: "A user with this username already exists" }]);
    }
  });

  it("keep the registered spelling and log in with any case", async () => {
    const created = await t.client.post("/auth/register", { json: account("Bob.Smith") });
    expect(created.json().username).toBe("Bob.Smith");
    for (const name of ["Bob.Smith", "bob.smith", "BOB.SMITH"]) {
      expect((await t.token(name, "correct horse battery")).status, name).toBe(200);
    }
    expect((await t.token("bob.smith", "wrong password!")).status).toBe(401);
  });
});
