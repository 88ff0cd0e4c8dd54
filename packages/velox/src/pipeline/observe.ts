import type { RequestContext } from "../context.ts";
import type { RequestHooks, ResponseInfo } from "../hooks.ts";

type OnResponse = RequestHooks["onResponse"];

/**
 * Arranges for `onResponse` hooks to run once the response is finished or the connection closed,
 * with the status, route, duration and whether the client went away. A failing hook is logged.
 *
 * @example
 * ```ts
 * if (plan.hooks.onResponse !== null) observeResponse(ctx, plan.hooks.onResponse);
 * ```
 */
export function observeResponse(ctx: RequestContext, hooks: readonly OnResponse[]): void {
  ctx._start = performance.now();
  ctx.res.once("close", () => {
    const res = ctx.res;
    const info: ResponseInfo = {
      status: res.statusCode,
      route: ctx.route,
      method: ctx.method,
      durationMs: performance.now() - ctx._start,
      // The app finished its response (end() was called) unless the connection went first.
      aborted: !res.writableEnded,
    };
    if (ctx._error !== undefined) info.error = ctx._error;
    for (const hook of hooks) {
      try {
        hook(ctx, info);
      } catch (err) {
        ctx._rt.logger.error({ err, requestId: ctx.requestId }, "onResponse hook failed");
      }
    }
  });
}
