/**
 * Regression (issue 12, defect 1): input that reached PostgreSQL answered 500 — a U+0000 in any
 * string (item title and description, `full_name`, the unauthenticated login form), and ids above
 * 2^31−1 in paths and in a signed token's `sub` (the path schemas allowed 2^53−1, the columns are
 * 32-bit). SQLite stored the same values, so suites that ran on both databases missed it; these
 * run on both and expect the same answers from each.
 */
import { SignJWT } from "jose";
import { expect, it } from "vitest";
import { describeEachApp, TEST_JWT_SECRET } from "../testing/app-harness.ts";

const TOO_BIG = ["2147483648", "9007199254740991", "99999999999"];

describeEachApp("values PostgreSQL cannot store", (t) => {
  it("a NUL in a string body field is a 422 naming the field, on create, update and register", async () => {
    const bob = await t.login("bob");
    const created = await t.client.post("/items", { ...bob.auth, json: { title: "Lamp\u0000", price: 1 } });
    expect(created.status).toBe(422);
    expect(created.json().detail[0]).toMatchObject({ loc: ["body", "title"] });
    const described = await t.client.post("/items", { ...bob.auth, json: { title: "Lamp", description: "a\u0000b", price: 1 } });
    expect([described.status, described.json().detail[0].loc]).toEqual([422, ["body", "description"]]);
    const item = (await t.client.post("/items", { ...bob.auth, json: { title: "Lamp", price: 1 } })).json();
    const patched = await t.client.patch(`/items/${item.id}`, { ...bob.auth, json: { title: "\u0000" } });
    expect([patched.status, patched.json().detail[0].loc]).toEqual([422, ["body", "title"]]);
    const registered = await t.client.post("/auth/register", {
      json: { username: "carol", email: "carol@example.com", password: "correct horse battery", full_name: "Carol\u0000" },
    });
    expect([registered.status, registered.json().detail[0].loc]).toEqual([422, ["body", "full_name"]]);
  });

  it("a NUL in the login form's username is an unknown user: 401, as for any wrong login", async () => {
    await t.login("bob");
    for (const username of ["x\u0000", "bob\u0000", "\u0000"]) {
      const res = await t.token(username, "whatever-password");
      expect([res.status, res.json()]).toEqual([401, { detail: "Incorrect username or password" }]);
    }
    const long = await t.token("b".repeat(10_000), "whatever-password");
    expect(long.status).toBe(401);
  });

  it("item ids beyond 2^31−1 are a 422 on read, update and delete", async () => {
    const bob = await t.login("bob");
    for (const id of TOO_BIG) {
      for (const res of [
        await t.client.get(`/items/${id}`, bob.auth),
        await t.client.patch(`/items/${id}`, { ...bob.auth, json: { title: "x" } }),
        await t.client.delete(`/items/${id}`, bob.auth),
      ]) {
        expect(res.status).toBe(422);
        expect(res.json().detail[0]).toMatchObject({ loc: ["path", "item_id"], type: "less_than_equal" });
      }
    }
    expect((await t.client.get("/items/2147483647", bob.auth)).status).toBe(404);
  });

  it("user ids beyond 2^31−1 are a 422 in the admin routes", async () => {
    const root = await t.login("root", { superuser: true });
    for (const id of TOO_BIG) {
      expect((await t.client.get(`/users/${id}`, root.auth)).status).toBe(422);
      expect((await t.client.delete(`/users/${id}`, root.auth)).status).toBe(422);
      expect((await t.client.patch(`/users/${id}`, { ...root.auth, json: { is_active: false } })).status).toBe(422);
    }
    expect((await t.client.get("/users/2147483647", root.auth)).status).toBe(404);
  });

  it("page numbers beyond 2^31−1 are a 422", async () => {
    const bob = await t.login("bob");
    const res = await t.client.get("/items", { ...bob.auth, query: { page: "9007199254740991" } });
    expect(res.status).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ loc: ["query", "page"] });
  });

  it("a correctly signed token whose sub is beyond 2^31−1 is refused with 401", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const sub of TOO_BIG) {
      const token = await new SignJWT({ scopes: ["read"], token_type: "access" })
        .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
        .setSubject(sub)
        .setIssuer(t.settings.jwt.issuer)
        .setAudience(t.settings.jwt.audience)
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(new TextEncoder().encode(TEST_JWT_SECRET));
      const res = await t.client.get("/users/me", { headers: { authorization: `Bearer ${token}` } });
      expect([res.status, res.headers["www-authenticate"]]).toEqual([401, expect.stringContaining("Bearer")]);
    }
  });
});
