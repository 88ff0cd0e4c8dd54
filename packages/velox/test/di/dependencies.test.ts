import { describe, expect, it } from "vitest";
import { z } from "zod";
import { depends, HTTPException, security, Velox, VeloxError } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("dependencies", () => {
  it("injects sync, async and generator dependencies by name, with sub-dependencies", async () => {
    const app = new Velox({ logger: false });
    const settings = depends(() => ({ greeting: "hi" }));
    const db = depends(async () => ({ find: (id: number) => ({ id }) }));
    const conn = depends({ deps: { db } }, async function* ({ db }) {
      yield { db, open: true };
    });
    app.get("/x/{id}", { path: { id: z.int() }, deps: { settings, conn } }, ({ path, settings, conn }) => ({
      greeting: settings.greeting,
      found: conn.db.find(path.id),
      open: conn.open,
    }));
    const client = new TestClient(app);
    expect((await client.get("/x/3")).json()).toEqual({ greeting: "hi", found: { id: 3 }, open: true });
  });

  it("cleans up generators in reverse order, after the response, exactly once on success", async () => {
    const events: string[] = [];
    const outer = depends(async function* () {
      events.push("outer:start");
      try { yield "outer"; } finally { events.push("outer:end"); }
    });
    const inner = depends({ deps: { outer } }, function* () {
      events.push("inner:start");
      try { yield "inner"; } finally { events.push("inner:end"); }
    });
    const app = new Velox({ logger: false });
    app.get("/", { deps: { inner } }, ({ res }) => {
      res.once("finish", () => events.push("response:finish"));
      events.push("handler");
      return { ok: true };
    });
    const client = new TestClient(app);
    expect((await client.get("/")).status).toBe(200);
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(["outer:start", "inner:start", "handler", "response:finish", "inner:end", "outer:end"]);
  });

  it("runs function-scoped cleanup before the response is sent", async () => {
    const events: string[] = [];
    const tx = depends({ scope: "function" }, async function* ({ res }) {
      res.once("finish", () => events.push("response:finish"));
      try { yield 1; } finally { events.push("tx:end"); }
    });
    const app = new Velox({ logger: false });
    app.get("/", { deps: { tx } }, () => "ok");
    await new TestClient(app).get("/");
    expect(events).toEqual(["tx:end", "response:finish"]);
  });

  it("throws the handler's error into generators, which may translate it", async () => {
    const seen: unknown[] = [];
    class DbError extends Error {}
    const session = depends(async function* () {
      try {
        yield "s";
      } catch (err) {
        seen.push(err);
        if (err instanceof DbError) throw new HTTPException(409, "Conflict in database");
        throw err;
      } finally {
        seen.push("closed");
      }
    });
    const app = new Velox({ logger: false });
    app.get("/boom", { deps: { session } }, () => {
      throw new DbError("unique violation");
    });
    const res = await new TestClient(app).get("/boom");
    expect(res.status).toBe(409);
    expect(res.json()).toEqual({ detail: "Conflict in database" });
    expect(seen[0]).toBeInstanceOf(DbError);
    expect(seen.filter((s) => s === "closed")).toHaveLength(1);
  });

  it("cleans up exactly once when validation fails after a dependency ran", async () => {
    let cleanups = 0;
    const resource = depends(async function* () {
      try { yield 1; } finally { cleanups++; }
    });
    const app = new Velox({ logger: false });
    app.get("/v", { deps: { resource }, query: { n: z.int() } }, () => "ok");
    const client = new TestClient(app);
    const res = await client.get("/v", { query: { n: "x" } });
    expect(res.status).toBe(422);
    await new Promise((r) => setImmediate(r));
    expect(cleanups).toBe(1);
    await client.get("/v", { query: { n: 1 } });
    await new Promise((r) => setImmediate(r));
    expect(cleanups).toBe(2);
  });

  it("cleans up exactly once when the handler throws", async () => {
    let cleanups = 0;
    const resource = depends(async function* () {
      try { yield 1; } finally { cleanups++; }
    });
    const app = new Velox({ logger: false });
    app.get("/e", { deps: { resource } }, () => {
      throw new Error("bug");
    });
    const res = await new TestClient(app).get("/e");
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ detail: "Internal Server Error" });
    expect(cleanups).toBe(1);
  });

  it("runs a shared sub-dependency once per request, unless useCache is false", async () => {
    let cached = 0;
    let uncached = 0;
    const shared = depends(() => ++cached);
    const fresh = depends(() => ++uncached, { useCache: false });
    const a = depends({ deps: { shared, fresh } }, ({ shared, fresh }) => [shared, fresh]);
    const b = depends({ deps: { shared, fresh } }, ({ shared, fresh }) => [shared, fresh]);
    const app = new Velox({ logger: false });
    app.get("/", { deps: { a, b, shared } }, ({ a, b, shared }) => ({ a, b, shared }));
    const client = new TestClient(app);
    expect((await client.get("/")).json()).toEqual({ a: [1, 1], b: [1, 2], shared: 1 });
    expect((await client.get("/")).json()).toEqual({ a: [2, 3], b: [2, 4], shared: 2 });
  });

  it("creates an app-scoped dependency once across 1000 requests and disposes it at shutdown", async () => {
    let created = 0;
    let disposed = 0;
    const pool = depends({ scope: "app" }, async function* () {
      created++;
      try { yield { id: created }; } finally { disposed++; }
    });
    const app = new Velox({ logger: false });
    app.get("/", { deps: { pool } }, ({ pool }) => pool);
    const client = new TestClient(app);
    for (let i = 0; i < 1000; i++) expect((await client.get("/")).json()).toEqual({ id: 1 });
    expect(created).toBe(1);
    expect(disposed).toBe(0);
    await client.close();
    expect(disposed).toBe(1);
  });

  it("refuses app-scoped dependencies that read request data", () => {
    const app = new Velox({ logger: false });
    const perRequest = depends(() => 1);
    const bad = depends({ scope: "app", deps: { perRequest } }, ({ app }) => app);
    app.get("/", { deps: { bad } }, () => "x");
    expect(() => app.compiledPlans).toThrowError(expect.objectContaining({ code: "VX_DEP_SCOPE" }));
  });

  it("merges dependency parameters into the route's validation and reports all errors at once", async () => {
    const paging = depends({ query: { page: z.int().min(1).default(1), size: z.int().max(100).default(10) } }, ({ query }) => query);
    const app = new Velox({ logger: false });
    app.get("/items", { deps: { paging }, query: { q: z.string().min(2) } }, ({ paging, query }) => ({ paging, q: query.q }));
    const client = new TestClient(app);
    expect((await client.get("/items", { query: { q: "ab", page: 2 } })).json()).toEqual({ paging: { page: 2, size: 10 }, q: "ab" });
    const res = await client.get("/items", { query: { q: "a", size: 500 } });
    expect(res.status).toBe(422);
    expect(res.json().detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([["query", "size"], ["query", "q"]]);
  });

  it("lets a dependency declare headers, cookies and a body", async () => {
    const token = depends({ headers: { x_token: z.string() }, cookies: { session: z.string().optional() } }, ({ headers, cookies }) => ({
      token: headers.x_token,
      session: cookies.session ?? null,
    }));
    const payload = depends({ body: z.object({ n: z.int() }) }, ({ body }) => body.n * 2);
    const app = new Velox({ logger: false });
    app.post("/", { deps: { token, payload } }, ({ token, payload }) => ({ ...token, payload }));
    const client = new TestClient(app);
    const ok = await client.post("/", { json: { n: 4 }, headers: { "x-token": "t" }, cookies: { session: "s1" } });
    expect(ok.json()).toEqual({ token: "t", session: "s1", payload: 8 });
    const bad = await client.post("/", { json: { n: "x" } });
    expect(bad.json().detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([["header", "x-token"], ["body", "n"]]);
  });

  it("runs side-effect dependencies at app, router and route level", async () => {
    const calls: string[] = [];
    const mark = (name: string) => depends(() => void calls.push(name));
    const verifyKey = depends({ headers: { x_key: z.string() } }, ({ headers }) => {
      if (headers.x_key !== "secret") throw new HTTPException(403, "Bad key");
    });
    const app = new Velox({ logger: false, dependencies: [mark("app")] });
    const { Router } = await import("../../src/index.ts");
    const admin = new Router({ prefix: "/admin", dependencies: [verifyKey, mark("router")] });
    admin.get("/stats", { dependencies: [mark("route")] }, () => ({ ok: true }));
    app.include(admin);
    const client = new TestClient(app);
    expect((await client.get("/admin/stats", { headers: { "x-key": "nope" } })).status).toBe(403);
    calls.length = 0;
    expect((await client.get("/admin/stats", { headers: { "x-key": "secret" } })).json()).toEqual({ ok: true });
    expect(calls).toEqual(["app", "router", "route"]);
  });

  it("overrides dependencies for tests without re-analysing per request", async () => {
    const currentUser = depends(() => {
      throw new HTTPException(401, "Not authenticated");
    });
    const app = new Velox({ logger: false });
    app.get("/me", { deps: { user: currentUser } }, ({ user }) => user);
    const client = new TestClient(app);
    expect((await client.get("/me")).status).toBe(401);
    app.overrides.set(currentUser, () => ({ name: "test" }));
    expect((await client.get("/me")).json()).toEqual({ name: "test" });
    const plans = app.compiledPlans;
    await client.get("/me");
    expect(app.compiledPlans).toBe(plans);
    app.overrides.clear();
    expect((await client.get("/me")).status).toBe(401);
  });

  it("refuses cycles and reserved names at registration/compile with stable codes", () => {
    const a = depends(() => 1);
    const b = depends({ deps: { a } }, ({ a }) => a);
    const app = new Velox({ logger: false });
    app.get("/", { deps: { b } }, () => 1);
    app.overrides.set(a, depends({ deps: { b } }, ({ b }) => b));
    expect(() => app.compiledPlans).toThrowError(expect.objectContaining({ code: "VX_DEP_CYCLE" }));
    const app2 = new Velox({ logger: false });
    app2.get("/", { deps: { query: a } as never }, () => 1);
    expect(() => app2.compiledPlans).toThrowError(VeloxError);
    expect(() => app2.compiledPlans).toThrowError(/VX_DEP_NAME_RESERVED/);
  });

  it("passes the security scopes required on the way down to the dependency", async () => {
    const scopesSeen: string[][] = [];
    const auth = depends(({ securityScopes }) => {
      scopesSeen.push([...securityScopes.scopes]);
      return securityScopes.scopeStr;
    });
    const user = depends({ deps: { auth: security(auth, ["me"]) } }, ({ auth }) => auth);
    const app = new Velox({ logger: false });
    app.get("/items", { deps: { user: security(user, ["items"]) } }, ({ user }) => ({ user }));
    expect((await new TestClient(app).get("/items")).json()).toEqual({ user: "items me" });
    expect(scopesSeen).toEqual([["items", "me"]]);
  });
});

describe("array header parameters", () => {
  it("reads every value of a repeated header, in process and over a socket", async () => {
    const app = new Velox({ logger: false });
    app.get("/h", { headers: { x_tag: z.array(z.string()) } }, ({ headers }) => headers.x_tag);
    const res = await new TestClient(app).get("/h", { headers: { "x-tag": "a" } });
    expect(res.json()).toEqual(["a"]);
    const { serveForTest } = await import("../../src/testing/index.ts");
    const live = await serveForTest(app);
    const { connect } = await import("node:net");
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(live.port, "127.0.0.1", () => {
        socket.write("GET /h HTTP/1.1\r\nHost: x\r\nX-Tag: a\r\nX-Tag: b\r\nConnection: close\r\n\r\n");
      });
      let text = "";
      socket.on("data", (c) => (text += c));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    const body = raw.slice(raw.indexOf("\r\n\r\n") + 4);
    expect(JSON.parse(body)).toEqual(["a", "b"]);
    await live.close();
  });
});
