import { describe, expect, it } from "vitest";
import { HTTPException, Router, Velox } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("router-scoped middleware", () => {
  it("wraps only the routes of its router, inside the app's middleware", async () => {
    const seen: string[] = [];
    const app = new Velox({ logger: false });
    app.use(async (ctx, next) => {
      seen.push(`app in ${ctx.route}`);
      await next();
      seen.push("app out");
    });
    const admin = new Router({ prefix: "/admin" });
    admin.use(async (ctx, next) => {
      seen.push("admin in");
      await next();
      ctx.result?.setHeader("x-admin", "1");
      seen.push("admin out");
    });
    admin.get("/stats", {}, () => ({ ok: true }));
    app.include(admin);
    app.get("/public", {}, () => ({ ok: true }));
    const client = new TestClient(app);
    const stats = await client.get("/admin/stats");
    expect(stats.headers["x-admin"]).toBe("1");
    expect(seen).toEqual(["app in /admin/stats", "admin in", "admin out", "app out"]);
    seen.length = 0;
    const pub = await client.get("/public");
    expect(pub.headers["x-admin"]).toBeUndefined();
    expect(seen).toEqual(["app in /public", "app out"]);
  });

  it("nests: an outer router's middleware runs around an inner router's", async () => {
    const seen: string[] = [];
    const inner = new Router({ prefix: "/inner" });
    inner.use(async (_ctx, next) => {
      seen.push("inner");
      await next();
    });
    inner.get("/x", {}, () => "x");
    const outer = new Router({ prefix: "/outer" });
    outer.use(async (_ctx, next) => {
      seen.push("outer");
      await next();
    });
    outer.include(inner);
    const app = new Velox({ logger: false });
    app.include(outer);
    expect((await new TestClient(app).get("/outer/inner/x")).json()).toBe("x");
    expect(seen).toEqual(["outer", "inner"]);
  });

  it("answers an error thrown by router middleware through the app's handlers", async () => {
    const router = new Router({ prefix: "/locked" });
    router.use(() => {
      throw new HTTPException(423, "Locked");
    });
    router.get("/", {}, () => "never");
    const app = new Velox({ logger: false });
    app.include(router);
    const res = await new TestClient(app).get("/locked/");
    expect(res.status).toBe(423);
    expect(res.json()).toEqual({ detail: "Locked" });
  });
});
