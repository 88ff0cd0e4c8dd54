import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, serveForTest, type LiveServer } from "velox/testing";
import { createApp } from "./app.ts";
import { hashPassword, needsRehash } from "./passwords.ts";
import { AccessTokens } from "./tokens.ts";
import { fakeUsersDb } from "./users.ts";

const SECRET = "test-secret-test-secret-test-secret!!";
const key = new TextEncoder().encode(SECRET);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

const users = fakeUsersDb();
const client = new TestClient(createApp({ users, jwtSecret: SECRET }));
afterAll(() => client.close());

async function login(username: string, password: string) {
  return client.post("/token", { form: { username, password } });
}

async function expectRejected(token: string) {
  const res = await client.get("/users/me", { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(401);
  expect(res.json()).toEqual({ detail: "Could not validate credentials" });
  expect(res.headers["www-authenticate"]).toBe("Bearer");
}

describe("examples/oauth2-jwt", () => {
  let token = "";

  it("logs in with the password form and returns a bearer token", async () => {
    const res = await login("johndoe", "secret");
    expect(res.status).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    const body = res.json();
    expect(body.token_type).toBe("bearer");
    expect(body.access_token.split(".")).toHaveLength(3);
    token = body.access_token;
  });

  it("reads the current user and their items with the token, never the hash", async () => {
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const me = await client.get("/users/me", auth);
    expect(me.status).toBe(200);
    expect(me.json()).toEqual({ username: "johndoe", full_name: "John Doe", email: "johndoe@example.com", disabled: false });
    expect((await client.get("/users/me/items", auth)).json()).toEqual([{ item_id: "Foo", owner: "johndoe" }]);
  });

  it("answers a wrong password and an unknown user alike: 401 with WWW-Authenticate: Bearer", async () => {
    for (const [username, password] of [["johndoe", "wrong"], ["nobody", "secret"], ["johndoe", "x".repeat(5000)]] as const) {
      const res = await login(username, password);
      expect(res.status).toBe(401);
      expect(res.json()).toEqual({ detail: "Incorrect username or password" });
      expect(res.headers["www-authenticate"]).toBe("Bearer");
    }
  });

  it("spends a password hash on an unknown user too (no timing oracle for user names)", async () => {
    const time = async (username: string) => {
      const samples: number[] = [];
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        await login(username, "wrong-password");
        samples.push(performance.now() - start);
      }
      return samples.sort((a, b) => a - b)[1]!;
    };
    const known = await time("johndoe");
    const unknown = await time("nobody-here");
    // Without the dummy hash the unknown user would answer in ~1 ms against tens of ms for Argon2id.
    expect(unknown).toBeGreaterThan(known * 0.3);
  });

  it("answers 401 Not authenticated with WWW-Authenticate: Bearer without a token", async () => {
    const res = await client.get("/users/me");
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail: "Not authenticated" });
    expect(res.headers["www-authenticate"]).toBe("Bearer");
  });

  it("refuses an expired token", async () => {
    await expectRejected(await new AccessTokens(SECRET, 60).issue("johndoe", now() - 3600));
  });

  it("refuses a token without exp", async () => {
    await expectRejected(await new SignJWT({}).setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).setSubject("johndoe").sign(key));
  });

  it("refuses a tampered token", async () => {
    const [header, , signature] = token.split(".");
    const forged = `${header}.${b64url({ sub: "alice", iat: now(), exp: now() + 3600 })}.${signature}`;
    await expectRejected(forged);
    await expectRejected(`${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`);
  });

  it("refuses alg none and other algorithms than HS256", async () => {
    await expectRejected(`${b64url({ alg: "none", typ: "at+jwt" })}.${b64url({ sub: "johndoe", exp: now() + 3600 })}.`);
    await expectRejected(await new SignJWT({}).setProtectedHeader({ alg: "HS512", typ: "at+jwt" }).setSubject("johndoe").setExpirationTime("1h").sign(key));
  });

  it("refuses a token signed with another secret or of another type", async () => {
    await expectRejected(await new AccessTokens("another-secret-another-secret-another").issue("johndoe"));
    await expectRejected(await new SignJWT({}).setProtectedHeader({ alg: "HS256", typ: "refresh+jwt" }).setSubject("johndoe").setExpirationTime("1h").sign(key));
  });

  it("refuses a disabled user with 400 Inactive user", async () => {
    const res = await login("alice", "secret");
    const aliceToken = res.json().access_token as string;
    const me = await client.get("/users/me", { headers: { authorization: `Bearer ${aliceToken}` } });
    expect(me.status).toBe(400);
    expect(me.json()).toEqual({ detail: "Inactive user" });
  });

  it("validates the password form like FastAPI", async () => {
    const res = await client.post("/token", { form: { username: "johndoe" } });
    expect(res.status).toBe(422);
    expect(res.json()).toEqual({ detail: [{ type: "missing", loc: ["body", "password"], msg: "Field required", input: null }] });
  });

  it("rehashes a password stored with old parameters at login", async () => {
    const { hash } = await import("@node-rs/argon2");
    const weak = await hash("old-pass", { memoryCost: 8192, timeCost: 1, parallelism: 1 });
    users.set("legacy", { username: "legacy", hashed_password: weak });
    expect((await login("legacy", "old-pass")).status).toBe(200);
    expect(needsRehash(users.get("legacy")!.hashed_password)).toBe(false);
    expect(needsRehash(await hashPassword("x"))).toBe(false);
  });
});

describe("examples/oauth2-jwt over a real socket", () => {
  let live: LiveServer;
  beforeAll(async () => {
    live = await serveForTest(createApp({ users: fakeUsersDb(), jwtSecret: SECRET }));
  });
  afterAll(() => live.close());

  it("logs in and reads /users/me", async () => {
    const res = await fetch(`${live.url}/token`, { method: "POST", body: new URLSearchParams({ username: "johndoe", password: "secret" }) });
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    const me = await fetch(`${live.url}/users/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(((await me.json()) as { username: string }).username).toBe("johndoe");
    const none = await fetch(`${live.url}/users/me`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
  });
});
