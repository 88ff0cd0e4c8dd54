import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EmptyResponse, HTTPException, JSONResponse, PlainTextResponse, Router, Velox, depends, type RequestContext, type ResponseInfo } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const settle = () => new Promise((r) => setImmediate(r));

describe("request hooks run at app, router and route level, outermost first", () => {
  it("runs onRequest, preHandler, onSend and onResponse in level order around the handler", async () => {
    const seen: string[] = [];
    const mark = (label: string) => () => void seen.push(label);
    const app = new Velox({ logger: false });
    app.addHook("onRequest", mark("app:onRequest"));
    app.addHook("preHandler", mark("app:preHandler"));
    app.addHook("onSend", mark("app:onSend"));
    app.addHook("onResponse", mark("app:onResponse"));
    const router = new Router({ prefix: "/r" });
    router.addHook("onRequest", mark("router:onRequest"));
    router.addHook("preHandler", mark("router:preHandler"));
    router.addHook("onSend", mark("router:onSend"));
    router.get("/x", { hooks: { onRequest: mark("route:onRequest"), preHandler: [mark("route:preHandler")], onSend: mark("route:onSend") } }, () => {
      seen.push("handler");
      return { ok: true };
    });
    app.include(router);
    const res = await new TestClient(app).get("/r/x");
    await settle();
    expect(res.json()).toEqual({ ok: true });
    expect(seen).toEqual([
      "app:onRequest", "router:onRequest", "route:onRequest",
      "app:preHandler", "router:preHandler", "route:preHandler",
      "handler",
      "app:onSend", "router:onSend", "route:onSend",
      "app:onResponse",
    ]);
  });

  it("lets onRequest answer at once: no body is read, no dependency or handler runs", async () => {
    let ran = false;
    const dep = depends(() => void (ran = true));
    const app = new Velox({ logger: false });
    app.addHook("onRequest", (ctx) => (ctx.req.headers["x-key"] === "ok" ? undefined : new JSONResponse({ detail: "Forbidden" }, { status: 403 })));
    app.post("/items", { body: z.object({ name: z.string() }), deps: { dep } }, () => {
      ran = true;
      return {};
    });
    const client = new TestClient(app);
    const refused = await client.post("/items", { json: { name: "x" } });
    expect(refused.status).toBe(403);
    expect(ran).toBe(false);
    expect((await client.post("/items", { json: { name: "x" }, headers: { "x-key": "ok" } })).status).toBe(200);
    expect(ran).toBe(true);
  });

  it("gives preHandler the validated inputs and resolved dependencies, and lets it answer", async () => {
    const user = depends({ headers: { x_user: z.string() } }, ({ headers }) => ({ name: headers.x_user }));
    const app = new Velox({ logger: false });
    app.get("/items/{id}", {
      path: { id: z.int() },
      deps: { user },
      hooks: { preHandler: (ctx) => ((ctx as RequestContext & { user: { name: string } }).user.name === "eve" ? new EmptyResponse(403) : undefined) },
    }, ({ path, user }) => ({ id: path.id, user: user.name }));
    const client = new TestClient(app);
    expect((await client.get("/items/5", { headers: { "x-user": "ada" } })).json()).toEqual({ id: 5, user: "ada" });
    expect((await client.get("/items/5", { headers: { "x-user": "eve" } })).status).toBe(403);
    // Validation errors answer before preHandler runs.
    expect((await client.get("/items/x", { headers: { "x-user": "eve" } })).status).toBe(422);
  });

  it("lets onSend change a plain value's response, or replace it", async () => {
    const app = new Velox({ logger: false });
    app.addHook("onSend", (_ctx, response) => {
      response.setHeader("x-body-bytes", String(Buffer.byteLength(response.body ?? "")));
    });
    app.get("/plain", { response: z.object({ a: z.int() }) }, () => ({ a: 1, secret: "x" }));
    app.get("/replaced", { hooks: { onSend: () => new PlainTextResponse("replaced", { status: 202 }) } }, () => ({ a: 1 }));
    const client = new TestClient(app);
    const plain = await client.get("/plain");
    expect(plain.text).toBe('{"a":1}');
    expect(plain.headers["content-type"]).toBe("application/json");
    expect(plain.headers["x-body-bytes"]).toBe("7");
    const replaced = await client.get("/replaced");
    expect(replaced.status).toBe(202);
    expect(replaced.text).toBe("replaced");
  });

  it("tells onResponse the status, route template, method and duration", async () => {
    const infos: ResponseInfo[] = [];
    const app = new Velox({ logger: false });
    app.addHook("onResponse", (_ctx, info) => void infos.push(info));
    app.get("/items/{id}", { path: { id: z.int() } }, async ({ path }) => {
      await new Promise((r) => setTimeout(r, 20));
      return { id: path.id };
    });
    await new TestClient(app).get("/items/7");
    await settle();
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({ status: 200, route: "/items/{id}", method: "GET", aborted: false });
    expect(infos[0]!.durationMs).toBeGreaterThanOrEqual(15);
    expect(infos[0]!.error).toBeUndefined();
  });
});

describe("hooks on errors and on unmatched requests", () => {
  function observed() {
    const events: string[] = [];
    const app = new Velox({ logger: false });
    app.addHook("onRequest", (ctx) => void events.push(`onRequest ${ctx.route}`));
    app.addHook("onError", (_ctx, error, status) => void events.push(`onError ${status} ${(error as Error).name}`));
    app.addHook("onSend", (_ctx, response) => void events.push(`onSend ${response.status}`));
    app.addHook("onResponse", (_ctx, info) => void events.push(`onResponse ${info.status} ${info.route} ${info.error === undefined ? "" : "error"}`.trim()));
    return { app, events };
  }

  it("runs app hooks for 404, 405 and trailing-slash redirects, route being null", async () => {
    const { app, events } = observed();
    const router = new Router();
    router.addHook("onRequest", () => void events.push("router hook"));
    router.get("/items", {}, () => []);
    app.include(router);
    const client = new TestClient(app);
    expect((await client.get("/nothing")).status).toBe(404);
    expect((await client.post("/items")).status).toBe(405);
    expect((await client.get("/items/")).status).toBe(307);
    await settle();
    expect(events).toEqual([
      "onRequest null", "onError 404 HTTPException", "onSend 404", "onResponse 404 null error",
      "onRequest null", "onError 405 HTTPException", "onSend 405", "onResponse 405 null error",
      "onRequest null", "onSend 307", "onResponse 307 null",
    ]);
  });

  it("reports HTTPException, validation errors and crashes to onError and onResponse", async () => {
    const { app, events } = observed();
    app.get("/teapot", {}, () => {
      throw new HTTPException(418, "I'm a teapot");
    });
    app.get("/n/{n}", { path: { n: z.int() } }, ({ path }) => path);
    app.get("/crash", {}, () => {
      throw new Error("boom");
    });
    const client = new TestClient(app);
    await client.get("/teapot");
    await client.get("/n/x");
    const crash = await client.get("/crash");
    await settle();
    expect(crash.status).toBe(500);
    expect(events).toEqual([
      "onRequest /teapot", "onError 418 HTTPException", "onSend 418", "onResponse 418 /teapot error",
      "onRequest /n/{n}", "onError 422 RequestValidationError", "onSend 422", "onResponse 422 /n/{n} error",
      "onRequest /crash", "onError 500 Error", "onSend 500", "onResponse 500 /crash error",
    ]);
  });

  it("keeps serving when a hook throws: onRequest becomes the error response, onResponse is logged", async () => {
    const app = new Velox({ logger: false });
    app.get("/a", { hooks: { onRequest: () => { throw new HTTPException(401, "nope"); } } }, () => "a");
    app.get("/b", { hooks: { onResponse: () => { throw new Error("ignored"); } } }, () => "b");
    const client = new TestClient(app);
    expect((await client.get("/a")).status).toBe(401);
    expect((await client.get("/b")).json()).toBe("b");
  });

  it("runs async hooks in order", async () => {
    const seen: number[] = [];
    const app = new Velox({ logger: false });
    app.addHook("onRequest", async () => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push(1);
    });
    app.addHook("onRequest", () => void seen.push(2));
    app.addHook("preHandler", async () => void seen.push(3));
    app.get("/", {}, () => seen.slice());
    expect((await new TestClient(app).get("/")).json()).toEqual([1, 2, 3]);
  });

  it("refuses unknown hook names and lifecycle hooks on routers", () => {
    const router = new Router();
    expect(() => router.addHook("onWhatever" as "onRequest", () => {})).toThrowError(/VX_INVALID_OPTION.*unknown hook "onWhatever"/);
    expect(() => router.addHook("onClose" as "onRequest", () => {})).toThrowError(/app lifecycle hook/);
    expect(() => new Velox().get("/", { hooks: { onSend: 5 as never } }, () => 1)).toThrowError(/must be a function/);
  });
});
