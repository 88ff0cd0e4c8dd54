import { SignJWT } from "jose";
import { expect, it } from "vitest";
import { issueAccessToken } from "../auth/tokens.ts";
import { describeEachApp, TEST_JWT_SECRET } from "../testing/app-harness.ts";

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

describeEachApp("access tokens at the door (GET /users/me)", (t) => {
  const me = (token: string) => t.client.get("/users/me", { headers: { authorization: `Bearer ${token}` } });

  async function expectRefused(token: string) {
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail: "Could not validate credentials" });
    expect(res.headers["www-authenticate"]).toBe('Bearer scope="read"');
  }

  /** A correctly signed token with the given claims and header, to isolate one defect at a time. */
  function sign(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: "HS256", typ: "at+jwt" }, secret = TEST_JWT_SECRET) {
    return new SignJWT({ token_type: "access", scopes: ["read"], ...claims })
      .setProtectedHeader(header as { alg: string })
      .setIssuer(t.settings.jwt.issuer)
      .setAudience(t.settings.jwt.audience)
      .setIssuedAt()
      .sign(new TextEncoder().encode(secret));
  }

  it("answers the user for a valid token", async () => {
    const bob = await t.login("bob");
    const res = await me(bob.access);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ id: bob.user.id, username: "bob", email: "bob@example.com" });
    // The control for the forgeries below: this recipe makes a token the app accepts.
    expect((await me(await sign({ sub: String(bob.user.id), exp: now() + 60 }))).status).toBe(200);
  });

  it("answers 401 Not authenticated with WWW-Authenticate: Bearer without a token", async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Basic Ym9iOnB3" }, { authorization: "Bearer " }];
    for (const headers of attempts) {
      const res = await t.client.get("/users/me", { headers });
      expect(res.status).toBe(401);
      expect(res.json()).toEqual({ detail: "Not authenticated" });
      expect(res.headers["www-authenticate"]).toBe("Bearer");
    }
  });

  it("refuses alg none", async () => {
    const bob = await t.login("bob");
    const claims = { sub: String(bob.user.id), scopes: ["read", "write", "admin"], token_type: "access", iss: t.settings.jwt.issuer, aud: t.settings.jwt.audience, iat: now(), exp: now() + 600 };
    await expectRefused(`${b64url({ alg: "none", typ: "at+jwt" })}.${b64url(claims)}.`);
    await expectRefused(`${b64url({ alg: "none", typ: "at+jwt" })}.${b64url(claims)}.${bob.access.split(".")[2]}`);
  });

  it("refuses another algorithm, another secret, and a token without exp", async () => {
    const bob = await t.login("bob");
    const sub = String(bob.user.id);
    await expectRefused(await sign({ sub, exp: now() + 600 }, { alg: "HS512", typ: "at+jwt" }));
    await expectRefused(await sign({ sub, exp: now() + 600 }, undefined, "another-secret-another-secret-another-secret"));
    await expectRefused(await sign({ sub }));
  });

  it("refuses an expired token", async () => {
    const bob = await t.login("bob");
    const { token } = await issueAccessToken(t.services.tokens, { userId: bob.user.id, scopes: ["read"] }, new Date(Date.now() - 3600_000));
    await expectRefused(token);
  });

  it("refuses a tampered payload or signature", async () => {
    const bob = await t.login("bob");
    const victim = await t.login("victim");
    const [header, payload, signature = ""] = bob.access.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    await expectRefused(`${header}.${b64url({ ...claims, sub: String(victim.user.id) })}.${signature}`);
    await expectRefused(`${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`);
  });

  it("refuses a refresh token used as an access token", async () => {
    const bob = await t.login("bob");
    await expectRefused(bob.refresh);
  });

  it("refuses the token of a deleted user", async () => {
    const bob = await t.login("bob");
    await t.services.users.delete(bob.user.id);
    await expectRefused(bob.access);
  });

  it("refuses a token without the route's scope: 401 Not enough permissions naming the scope", async () => {
    const writeOnly = await t.login("bob", { requestScopes: ["write"] });
    const res = await me(writeOnly.access);
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail: "Not enough permissions" });
    expect(res.headers["www-authenticate"]).toBe('Bearer scope="read"');
  });

  it("stops honouring a scope the user lost after the token was issued", async () => {
    const bob = await t.login("bob");
    await t.services.database.db.updateTable("users").set({ scopes: "write" }).where("id", "=", bob.user.id).execute();
    expect((await me(bob.access)).status).toBe(401);
  });

  it("answers 400 Inactive user for a deactivated account", async () => {
    const bob = await t.login("bob");
    await t.services.users.setActive(bob.user.id, false);
    const res = await me(bob.access);
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ detail: "Inactive user" });
  });
});
