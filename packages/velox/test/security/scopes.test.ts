import { describe, expect, it } from "vitest";
import { HTTPBearer, HTTPException, OAuth2PasswordBearer, Velox, bearerChallenge, depends, requireScopes, security } from "../../src/index.ts";
import { useTestClient } from "./test-client.ts";

const serve = useTestClient();

const tokens: Record<string, { username: string; scopes: string[] }> = {
  "tok-me": { username: "johndoe", scopes: ["me"] },
  "tok-all": { username: "alice", scopes: ["me", "items"] },
};

describe("security scopes (FastAPI's OAuth2 scopes tutorial)", () => {
  const oauth2 = OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Read information about the current user.", items: "Read items." } });
  const currentUser = depends({ deps: { token: oauth2 } }, ({ token, securityScopes }) => {
    const found = tokens[token];
    if (!found) throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": bearerChallenge(securityScopes) });
    requireScopes(securityScopes, found.scopes);
    return { username: found.username, required: securityScopes.scopes, scopeStr: securityScopes.scopeStr };
  });
  const currentActiveUser = depends({ deps: { user: security(currentUser, ["me"]) } }, ({ user }) => user);

  function app() {
    const a = new Velox({ logger: false });
    a.get("/users/me", { deps: { user: currentActiveUser } }, ({ user }) => user);
    a.get("/users/me/items", { deps: { user: security(currentActiveUser, ["items"]) } }, ({ user }) => user);
    a.get("/status", { deps: { user: currentUser } }, ({ user }) => user);
    return serve(a);
  }
  const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  it("merges the route's scopes with the outer dependency's, route first", async () => {
    const c = app();
    expect((await c.get("/users/me", as("tok-me"))).json()).toEqual({ username: "johndoe", required: ["me"], scopeStr: "me" });
    expect((await c.get("/users/me/items", as("tok-all"))).json()).toEqual({ username: "alice", required: ["items", "me"], scopeStr: "items me" });
    expect((await c.get("/status", as("tok-me"))).json()).toEqual({ username: "johndoe", required: [], scopeStr: "" });
  });

  it("answers 401 Not enough permissions with the required scopes in WWW-Authenticate", async () => {
    const res = await app().get("/users/me/items", as("tok-me"));
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail: "Not enough permissions" });
    expect(res.headers["www-authenticate"]).toBe('Bearer scope="items me"');
  });

  it("challenges with the scopes for an invalid token, and plain Bearer where none are required", async () => {
    const c = app();
    const items = await c.get("/users/me/items", as("nope"));
    expect(items.status).toBe(401);
    expect(items.json()).toEqual({ detail: "Could not validate credentials" });
    expect(items.headers["www-authenticate"]).toBe('Bearer scope="items me"');
    expect((await c.get("/status", as("nope"))).headers["www-authenticate"]).toBe("Bearer");
    const missing = await c.get("/users/me/items");
    expect(missing.json()).toEqual({ detail: "Not authenticated" });
    expect(missing.headers["www-authenticate"]).toBe("Bearer");
  });

  it("joins scopes given to security() twice without duplicates, and through side-effect dependencies", async () => {
    const seen: string[][] = [];
    const probe = depends(({ securityScopes }) => {
      seen.push([...securityScopes.scopes]);
    });
    const a = new Velox({ logger: false });
    a.get("/twice", { deps: { p: security(security(probe, ["a"]), ["a", "b"]) } }, () => null);
    a.get("/side", { dependencies: [security(probe, ["admin"])] }, () => null);
    const c = serve(a);
    await c.get("/twice");
    await c.get("/side");
    expect(seen).toEqual([["a", "b"], ["admin"]]);
  });
});

describe("per-request caching of schemes", () => {
  it("runs a scheme used twice in one request once", async () => {
    const bearer = HTTPBearer();
    const viaDependency = depends({ deps: { creds: bearer } }, ({ creds }) => creds);
    const a = new Velox({ logger: false });
    a.get("/same", { deps: { direct: bearer, nested: viaDependency } }, ({ direct, nested }) => ({ same: direct === nested }));
    const c = serve(a);
    expect((await c.get("/same", { headers: { authorization: "Bearer t" } })).json()).toEqual({ same: true });
  });

  it("runs a user dependency on top of a scheme once per request, and again on the next request", async () => {
    const oauth2 = OAuth2PasswordBearer({ tokenUrl: "token" });
    let calls = 0;
    const currentUser = depends({ deps: { token: oauth2 } }, ({ token }) => {
      calls++;
      return { token };
    });
    const owner = depends({ deps: { user: currentUser } }, ({ user }) => user.token);
    const a = new Velox({ logger: false });
    a.get("/twice", { deps: { user: currentUser, owner } }, ({ user, owner }) => ({ user: user.token, owner }));
    const c = serve(a);
    expect((await c.get("/twice", { headers: { authorization: "Bearer t1" } })).json()).toEqual({ user: "t1", owner: "t1" });
    expect(calls).toBe(1);
    await c.get("/twice", { headers: { authorization: "Bearer t2" } });
    expect(calls).toBe(2);
  });

  it("runs a scheme that never reads the scopes once, whatever scopes it is required with", async () => {
    const bearer = HTTPBearer();
    const a = new Velox({ logger: false });
    a.get("/scoped", { deps: { plain: bearer, scoped: security(bearer, ["admin"]) } }, ({ plain, scoped }) => ({ same: plain === scoped }));
    expect((await serve(a).get("/scoped", { headers: { authorization: "Bearer t" } })).json()).toEqual({ same: true });
  });

  it("keys the cache by scopes for a dependency that reads securityScopes, as FastAPI does", async () => {
    const bearer = HTTPBearer();
    let calls = 0;
    const user = depends({ deps: { credentials: bearer } }, ({ credentials, securityScopes }) => {
      calls++;
      return { token: credentials.credentials, scopes: securityScopes.scopes };
    });
    const a = new Velox({ logger: false });
    a.get("/both", { deps: { plain: user, admin: security(user, ["admin"]) } }, ({ plain, admin }) => ({ plain: plain.scopes, admin: admin.scopes }));
    expect((await serve(a).get("/both", { headers: { authorization: "Bearer t" } })).json()).toEqual({ plain: [], admin: ["admin"] });
    expect(calls).toBe(2);
  });
});
