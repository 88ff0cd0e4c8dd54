import { expect, it, vi } from "vitest";
import { verifyAccess } from "../auth/tokens.ts";
import { describeEachApp } from "../testing/app-harness.ts";

const alice = { username: "alice", email: "Alice@Example.com", password: "correct horse battery", full_name: "Alice A" };

describeEachApp("POST /auth/register", (t) => {
  it("creates an account with read and write scopes and never shows the hash", async () => {
    const res = await t.client.post("/auth/register", { json: alice });
    expect(res.status).toBe(201);
    const body = res.json();
    expect(body).toEqual({
      id: expect.any(Number),
      username: "alice",
      email: "alice@example.com",
      full_name: "Alice A",
      is_active: true,
      is_superuser: false,
      scopes: ["read", "write"],
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(res.text).not.toContain("argon2");
    expect((await t.token("alice", alice.password)).status).toBe(200);
  });

  it("answers 400 with a clear detail for a taken username or e-mail (case-insensitive)", async () => {
    expect((await t.client.post("/auth/register", { json: alice })).status).toBe(201);
    const sameName = await t.client.post("/auth/register", { json: { ...alice, email: "other@example.com" } });
    expect(sameName.status).toBe(400);
    expect(sameName.json()).toEqual({ detail: "A user with this username already exists" });
    const sameEmail = await t.client.post("/auth/register", { json: { ...alice, username: "alice2", email: "ALICE@example.COM" } });
    expect(sameEmail.status).toBe(400);
    expect(sameEmail.json()).toEqual({ detail: "A user with this e-mail already exists" });
  });

  it("refuses an oversize password with 422 before hashing anything", async () => {
    const hash = vi.spyOn(t.services.passwords, "hash");
    try {
      const max = t.settings.argon2.maxPasswordLength;
      const res = await t.client.post("/auth/register", { json: { ...alice, password: "x".repeat(max + 1) } });
      expect(res.status).toBe(422);
      expect(res.json().detail).toEqual([
        expect.objectContaining({ type: "string_too_long", loc: ["body", "password"], ctx: { max_length: max } }),
      ]);
      const huge = await t.client.post("/auth/register", { json: { ...alice, password: "x".repeat(500_000) } });
      expect(huge.status).toBe(422);
      expect(hash).not.toHaveBeenCalled();
      expect((await t.client.post("/auth/register", { json: { ...alice, password: "x".repeat(max) } })).status).toBe(201);
      expect(hash).toHaveBeenCalledTimes(1);
    } finally {
      hash.mockRestore();
    }
  });

  it("validates the body like FastAPI: short password, bad e-mail, bad username, unknown fields", async () => {
    const res = await t.client.post("/auth/register", {
      json: { username: "a b", email: "not-an-email", password: "short", is_superuser: true },
    });
    expect(res.status).toBe(422);
    const problems = res.json().detail.map((d: { type: string; loc: string[] }) => [d.loc.join("."), d.type]);
    expect(problems).toEqual(
      expect.arrayContaining([
        ["body.username", "string_pattern_mismatch"],
        ["body.email", expect.any(String)],
        ["body.password", "string_too_short"],
        ["body.is_superuser", "extra_forbidden"],
      ]),
    );
    expect(await t.services.users.list()).toMatchObject({ total: 0 });
  });
});

describeEachApp("POST /auth/token", (t) => {
  it("answers an OAuth2 token response that is not cached", async () => {
    const bob = await t.login("bob");
    const res = await t.token("bob", bob.password);
    expect(res.status).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers.pragma).toBe("no-cache");
    expect(res.json()).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), token_type: "bearer", expires_in: 900 });
    const claims = await verifyAccess(t.services.tokens, res.json().access_token);
    expect(claims).toMatchObject({ ok: true, claims: { userId: bob.user.id, scopes: ["read", "write"] } });
  });

  it("narrows the token to the requested scopes the user holds", async () => {
    const bob = await t.login("bob");
    const res = await t.token("bob", bob.password, "read admin");
    expect(await verifyAccess(t.services.tokens, res.json().access_token)).toMatchObject({ claims: { scopes: ["read"] } });
  });

  it("answers an unknown user and a wrong password with the same status, headers and body", async () => {
    await t.login("bob");
    const wrong = await t.token("bob", "wrong-password");
    const unknown = await t.token("nobody", "wrong-password");
    const oversize = await t.token("bob", "x".repeat(100_000));
    const comparable = (res: typeof wrong) => {
      // Per-request values of the standard middleware (a fresh id, the time spent) differ by nature.
      const { date: _date, "x-request-id": _id, "x-process-time": _time, ...headers } = res.headers;
      return { status: res.status, headers, body: res.text };
    };
    expect(comparable(wrong)).toEqual({
      status: 401,
      headers: expect.objectContaining({ "www-authenticate": "Bearer", "content-type": "application/json" }),
      body: '{"detail":"Incorrect username or password"}',
    });
    expect(comparable(unknown)).toEqual(comparable(wrong));
    expect(comparable(oversize)).toEqual(comparable(wrong));
  });

  it("says inactive (400) only to someone who knows the password", async () => {
    const carol = await t.login("carol", { isActive: false });
    expect((await t.token("carol", "wrong-password")).status).toBe(401);
    const right = await t.token("carol", carol.password);
    expect(right.status).toBe(400);
    expect(right.json()).toEqual({ detail: "Inactive user" });
  });

  it("validates the form like FastAPI (422, located in the body)", async () => {
    const res = await t.client.post("/auth/token", { form: { username: "bob" } });
    expect(res.status).toBe(422);
    expect(res.json()).toEqual({ detail: [{ type: "missing", loc: ["body", "password"], msg: "Field required", input: null }] });
    expect((await t.client.post("/auth/token", { json: { username: "bob", password: "x" } })).status).toBe(415);
  });
});

describeEachApp(
  "POST /auth/token timing",
  (t) => {
    it("takes as long for an unknown user as for a wrong password (a dummy Argon2id verification)", async () => {
      await t.login("bob");
      const known: number[] = [];
      const unknown: number[] = [];
      const time = async (username: string, into: number[]) => {
        const start = performance.now();
        expect((await t.token(username, "wrong-password")).status).toBe(401);
        into.push(performance.now() - start);
      };
      for (let i = 0; i < 7; i++) {
        await time("bob", known);
        await time(`ghost-${i}`, unknown);
      }
      const median = (samples: number[]) => samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
      // Without the dummy hash an unknown user answers in about a millisecond, a wrong password in tens.
      expect(median(unknown) / median(known)).toBeGreaterThan(0.4);
      expect(median(unknown) / median(known)).toBeLessThan(2.5);
    });
  },
  // The production Argon2id parameters (19 MiB, t=2): the signal a timing attack would look for.
  { ARGON2_MEMORY_KIB: "19456", ARGON2_TIME_COST: "2" },
);

describeEachApp("POST /auth/refresh and /auth/logout", (t) => {
  const refresh = (token: string) => t.client.post("/auth/refresh", { json: { refresh_token: token } });

  it("rotates: a refresh token answers a new pair once", async () => {
    const bob = await t.login("bob");
    const first = await refresh(bob.refresh);
    expect(first.status).toBe(200);
    expect(first.headers["cache-control"]).toBe("no-store");
    const pair = first.json();
    expect(pair).toMatchObject({ token_type: "bearer", expires_in: 900 });
    expect(pair.refresh_token).not.toBe(bob.refresh);
    expect((await t.client.get("/users/me", { headers: { authorization: `Bearer ${pair.access_token}` } })).status).toBe(200);
    const second = await refresh(pair.refresh_token);
    expect(second.status).toBe(200);
  });

  it("revokes the whole family when a rotated refresh token comes back (theft detected)", async () => {
    const bob = await t.login("bob");
    const next = (await refresh(bob.refresh)).json().refresh_token as string;
    const replay = await refresh(bob.refresh);
    expect(replay.status).toBe(401);
    expect(replay.json()).toEqual({ detail: "Invalid refresh token" });
    expect(replay.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
    // The legitimate holder's successor token is dead too: the attacker's copy and theirs alike.
    expect((await refresh(next)).status).toBe(401);
    // Another login is another family, unaffected.
    const again = await t.token("bob", bob.password);
    expect((await refresh(again.json().refresh_token)).status).toBe(200);
  });

  it("refuses an access token, garbage and an empty body as a refresh token", async () => {
    const bob = await t.login("bob");
    expect((await refresh(bob.access)).status).toBe(401);
    expect((await refresh("not.a.token")).status).toBe(401);
    const empty = await t.client.post("/auth/refresh", { json: {} });
    expect(empty.status).toBe(422);
    expect(empty.json().detail[0]).toMatchObject({ type: "missing", loc: ["body", "refresh_token"] });
  });

  it("logs out: the session's refresh token is revoked (204), a bad token is 401", async () => {
    const bob = await t.login("bob");
    const out = await t.client.post("/auth/logout", { json: { refresh_token: bob.refresh } });
    expect(out.status).toBe(204);
    expect(out.body.length).toBe(0);
    expect((await refresh(bob.refresh)).status).toBe(401);
    expect((await t.client.post("/auth/logout", { json: { refresh_token: bob.access } })).status).toBe(401);
  });

  it("ends the session of a user deactivated since login", async () => {
    const bob = await t.login("bob");
    await t.services.users.setActive(bob.user.id, false);
    expect((await refresh(bob.refresh)).status).toBe(401);
  });
});
