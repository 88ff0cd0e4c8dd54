import { describe, expect, it } from "vitest";
import { Router, Velox, depends } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("registration after the app started", () => {
  async function started() {
    const app = new Velox({ logger: false });
    app.get("/", {}, () => "ok");
    await app.ready();
    return app;
  }

  it("fails with VX_APP_STARTED instead of recompiling inside a request", async () => {
    const app = await started();
    const router = new Router();
    router.get("/late", {}, () => "late");
    for (const attempt of [
      () => app.get("/late", {}, () => "late"),
      () => app.include(router),
      () => app.use(async (_c, next) => next()),
      () => app.addHook("onRequest", () => {}),
      () => app.addHook("onClose", () => {}),
      () => app.exceptionHandler(404, () => { throw new Error("x"); }),
      () => app.register(() => {}),
      () => app.setUpgradeHandler(() => {}),
    ]) {
      expect(attempt).toThrowError(expect.objectContaining({ code: "VX_APP_STARTED" }));
    }
  });

  it("still lets tests change dependency overrides, re-analysed at once", async () => {
    const name = depends(() => "real");
    const app = new Velox({ logger: false });
    app.get("/name", { deps: { name } }, ({ name }) => name);
    const client = new TestClient(app);
    expect((await client.get("/name")).json()).toBe("real");
    app.overrides.set(name, () => "fake");
    expect((await client.get("/name")).json()).toBe("fake");
    app.overrides.clear();
    expect((await client.get("/name")).json()).toBe("real");
  });

  it("reports a broken override when it is set, not on the next request", async () => {
    const a = depends(() => 1);
    const app = new Velox({ logger: false });
    app.get("/a", { deps: { a } }, ({ a }) => a);
    await app.ready();
    const cyclic: ReturnType<typeof depends> = depends({ deps: { self: a } }, () => 2);
    expect(() => app.overrides.set(a, cyclic)).toThrowError(expect.objectContaining({ code: "VX_DEP_CYCLE" }));
  });
});
