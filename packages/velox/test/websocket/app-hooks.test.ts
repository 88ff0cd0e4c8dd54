import { describe, expect, it } from "vitest";
import { depends, JSONResponse, Router, Velox } from "../../src/index.ts";
import { requestId } from "../../src/middleware/request-id.ts";
import { rateLimit } from "../../src/ratelimit/index.ts";
import { handshake, socketClosed } from "./raw-ws.ts";
import { useServedApps } from "./served-apps.ts";

// App and router onRequest hooks on WebSocket handshakes, over real sockets (velox/server): they
// run before the dependencies, and one that answers or throws refuses the upgrade over HTTP.

const { startPort: start } = useServedApps();

const tagged = depends(function tagged({ state, requestId: id }) {
  return { tag: state.tag ?? null, id };
});

describe("onRequest hooks on WebSocket handshakes", () => {
  it("run before the dependencies: what a hook sets, a dependency reads (the request id too)", async () => {
    const app = new Velox({ logger: false });
    const order: string[] = [];
    app.register(requestId());
    app.addHook("onRequest", (ctx) => {
      order.push("hook");
      ctx.state.tag = ctx.req.headers["x-tag"] ?? "none";
    });
    const traced = depends({ deps: { tagged } }, function traced({ tagged: t }) {
      order.push("dependency");
      return t;
    });
    app.ws("/tagged", { deps: { traced } }, async (socket, { traced: t }) => {
      await socket.send(JSON.stringify(t));
    });
    const port = await start(app);
    const res = await handshake(port, "/tagged", { headers: { "x-tag": "blue", "x-request-id": "req-42" } });
    expect(res.status).toBe(101);
    expect(await res.conn!.nextJson()).toEqual({ tag: "blue", id: "req-42" });
    expect(order).toEqual(["hook", "dependency"]);
  });

  it("a hook that answers refuses the handshake with its status, headers and body; no upgrade, the handler never runs", async () => {
    const app = new Velox({ logger: false });
    let ran = 0;
    let dependencyRan = 0;
    const dep = depends(() => void dependencyRan++);
    app.addHook("onRequest", (ctx) => {
      if (ctx.req.headers["x-deny"] !== undefined) return new JSONResponse({ detail: "Denied by hook" }, { status: 403, headers: { "x-denied-by": "ip-deny" } });
    });
    app.ws("/guarded", { dependencies: [dep] }, async (socket) => {
      ran++;
      await socket.send("open");
    });
    const port = await start(app);
    const res = await handshake(port, "/guarded", { headers: { "x-deny": "1" } });
    expect([res.status, res.headers["x-denied-by"], JSON.parse(res.body)]).toEqual([403, "ip-deny", { detail: "Denied by hook" }]);
    expect(res.headers.upgrade).toBeUndefined();
    expect(res.conn).toBeNull();
    expect(await socketClosed(res.socket)).toBe(true);
    expect([ran, dependencyRan]).toEqual([0, 0]);
    const ok = await handshake(port, "/guarded");
    expect(ok.status).toBe(101);
    expect((await ok.conn!.next()).payload.toString()).toBe("open");
  });

  it("an async hook that answers refuses too; a hook that throws is a 500 refusal (logged, never an upgrade)", async () => {
    const logged: unknown[] = [];
    const app = new Velox({ logger: { error: (o: unknown) => void logged.push(o), warn() {}, info() {}, debug() {} } as never });
    app.addHook("onRequest", async (ctx) => {
      await new Promise((r) => setTimeout(r, 5));
      if (ctx.url.includes("late=1")) return new JSONResponse({ detail: "Late refusal" }, { status: 401 });
    });
    app.addHook("onRequest", (ctx) => {
      if (ctx.url.includes("boom=1")) throw new Error("hook crashed: secret detail");
    });
    app.ws("/h", {}, async (socket) => socket.send("open"));
    const port = await start(app);
    const late = await handshake(port, "/h?late=1");
    expect([late.status, JSON.parse(late.body), late.conn]).toEqual([401, { detail: "Late refusal" }, null]);
    const boom = await handshake(port, "/h?boom=1");
    expect([boom.status, JSON.parse(boom.body), boom.conn]).toEqual([500, { detail: "Internal Server Error" }, null]);
    expect(boom.body).not.toContain("secret");
    expect(await socketClosed(boom.socket)).toBe(true);
    expect(logged.length).toBeGreaterThan(0);
    expect((await handshake(port, "/h")).status).toBe(101);
  });

  it("the app's hooks run first, then the routers' (outermost first), for routes included through routers", async () => {
    const order: string[] = [];
    const app = new Velox({ logger: false });
    app.addHook("onRequest", () => void order.push("app"));
    const outer = new Router({ prefix: "/outer" });
    outer.addHook("onRequest", () => void order.push("outer"));
    const inner = new Router({ prefix: "/inner" });
    inner.addHook("onRequest", (ctx) => {
      order.push("inner");
      if (ctx.url.includes("deny")) return new JSONResponse({ detail: "Router says no" }, { status: 403 });
    });
    inner.ws("/feed", {}, async (socket) => socket.send("feed"));
    outer.include(inner);
    app.include(outer);
    // A router's hooks are its own routes' only.
    app.ws("/top", {}, async (socket) => socket.send("top"));
    const port = await start(app);
    expect((await handshake(port, "/outer/inner/feed")).status).toBe(101);
    expect(order).toEqual(["app", "outer", "inner"]);
    order.length = 0;
    const denied = await handshake(port, "/outer/inner/feed?deny");
    expect([denied.status, JSON.parse(denied.body).detail]).toEqual([403, "Router says no"]);
    order.length = 0;
    expect((await handshake(port, "/top")).status).toBe(101);
    expect(order).toEqual(["app"]);
  });

  it("velox/ratelimit registered on the app limits handshakes: 429 with Retry-After once spent", async () => {
    const app = new Velox({ logger: false });
    app.register(rateLimit({ limit: 2, windowMs: 60_000, name: "ws" }));
    app.ws("/limited", {}, async (socket) => socket.send("ok"));
    const port = await start(app);
    expect((await handshake(port, "/limited")).status).toBe(101);
    expect((await handshake(port, "/limited")).status).toBe(101);
    const third = await handshake(port, "/limited");
    expect([third.status, JSON.parse(third.body).detail, third.conn]).toEqual([429, "Too many requests", null]);
    expect(Number(third.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("a hook's header value with CR/LF is dropped from the refusal, never written", async () => {
    const app = new Velox({ logger: false });
    app.addHook("onRequest", () => {
      // Set past the constructor's own check, as a hook assembling headers by hand could.
      const refusal = new JSONResponse({ detail: "no" }, { status: 403 });
      refusal.headers["x-evil"] = "a\r\nSet-Cookie: pwned=1";
      return refusal;
    });
    app.ws("/e", {}, async (socket) => socket.send("never"));
    const port = await start(app);
    const res = await handshake(port, "/e");
    expect(res.status).toBe(403);
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(res.headers["x-evil"]).toBeUndefined();
  });

  it("costs nothing without hooks: the plan has no onRequest step (decided at registration)", async () => {
    const app = new Velox({ logger: false });
    app.ws("/plain", {}, async () => undefined);
    const hooked = new Router();
    hooked.addHook("onRequest", () => undefined);
    hooked.ws("/hooked", {}, async () => undefined);
    app.include(hooked);
    await app.ready();
    expect(app.wsPlans.map((p) => [p.where, p.onRequest?.length ?? null])).toEqual([["WS /plain", null], ["WS /hooked", 1]]);
  });
});
