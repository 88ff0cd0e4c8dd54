import type { Velox } from "../../src/index.ts";
import type { MiddlewarePlugin } from "../../src/middleware/hook-types.ts";

/**
 * Installs middleware plugins on an app for the tests. Until core v2's hooks land this drives the
 * plugins' hooks from one onion middleware, which sees the same final response `onSend` will.
 */
export function install(app: Velox, ...plugins: MiddlewarePlugin[]): Velox {
  app.use(async (ctx, next) => {
    const start = performance.now();
    let answered = false;
    for (const plugin of plugins) {
      const early = await plugin.hooks.onRequest?.(ctx);
      if (early) {
        ctx.result = early;
        answered = true;
        break;
      }
    }
    if (!answered) await next();
    for (const plugin of plugins) {
      if (ctx.result === null) break;
      const replaced = await plugin.hooks.onSend?.(ctx, ctx.result);
      if (replaced) ctx.result = replaced;
    }
    const status = ctx.result?.status ?? 500;
    ctx.res.once("close", () => {
      for (const plugin of plugins) {
        plugin.hooks.onResponse?.(ctx, { status, route: ctx.route, method: ctx.method, durationMs: performance.now() - start, aborted: !ctx.res.writableFinished });
      }
    });
  });
  return app;
}
