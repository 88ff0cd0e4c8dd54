import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { Router, Velox, VeloxResponse, jsonBody, type Logger, type RequestContext, type ResponseInfo, type UpgradeHandler } from "../../src/index.ts";

describe("hook types", () => {
  it("types each request hook's arguments and what it may return", () => {
    const app = new Velox();
    app.addHook("onRequest", (ctx) => {
      expectTypeOf(ctx).toEqualTypeOf<RequestContext>();
      return undefined;
    });
    app.addHook("onRequest", async () => new VeloxResponse(null, { status: 204 }));
    app.addHook("onSend", (_ctx, response) => {
      expectTypeOf(response).toEqualTypeOf<VeloxResponse>();
    });
    app.addHook("onResponse", (_ctx, info) => {
      expectTypeOf(info).toEqualTypeOf<ResponseInfo>();
      expectTypeOf(info.route).toEqualTypeOf<string | null>();
      expectTypeOf(info.durationMs).toBeNumber();
    });
    app.addHook("onError", (_ctx, error, status) => {
      expectTypeOf(error).toBeUnknown();
      expectTypeOf(status).toBeNumber();
    });
    // @ts-expect-error not a hook
    app.addHook("onWhatever", () => {});
  });

  it("types lifecycle hooks with the app, on the app only", () => {
    const app = new Velox();
    app.addHook("onReady", (a) => {
      expectTypeOf(a).toEqualTypeOf<Velox>();
    });
    app.addHook("preClose", async (a) => {
      expectTypeOf(a.shutdownSignal).toEqualTypeOf<AbortSignal>();
    });
    app.addHook("onClose", () => {});
    const router = new Router();
    // @ts-expect-error lifecycle hooks belong to the app
    router.addHook("onClose", () => {});
  });

  it("takes route-level hooks and a body kind in the route options", () => {
    const app = new Velox();
    app.post("/x", {
      body: z.object({ a: z.int() }),
      bodyKind: jsonBody,
      hooks: { onSend: [(_c, r) => void r.setHeader("x", "1")], preHandler: () => undefined },
    }, ({ body }) => {
      expectTypeOf(body).toEqualTypeOf<{ a: number }>();
      return body;
    });
  });

  it("gives handlers a logger and the shutdown signal", () => {
    const app = new Velox();
    app.get("/", {}, (ctx) => {
      expectTypeOf(ctx.log).toEqualTypeOf<Logger>();
      return null;
    });
    expectTypeOf(app.shutdownSignal).toEqualTypeOf<AbortSignal>();
    expectTypeOf(app.setUpgradeHandler).parameter(0).toEqualTypeOf<UpgradeHandler>();
  });
});
