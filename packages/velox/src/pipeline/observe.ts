import type { ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { RequestContext } from "../context.ts";
import type { RequestHooks, ResponseInfo } from "../hooks.ts";

type OnResponse = RequestHooks["onResponse"];

const CONTEXT = Symbol("velox.observed");
type Observed = ServerResponse & { [CONTEXT]: RequestContext };

/** One listener for every observed response: node calls it with the response as `this`, so no closure is made per request. */
function responseClosed(this: Observed): void {
  const ctx = this[CONTEXT];
  const hooks = (ctx._plan !== null ? ctx._plan.hooks.onResponse : ctx._rt.appHooks.onResponse) as readonly OnResponse[];
  const info: ResponseInfo = {
    status: this.statusCode,
    route: ctx.route,
    method: ctx.method,
    durationMs: performance.now() - ctx._start,
    // The app finished its response (end() was called) unless the connection went first.
    aborted: !this.writableEnded,
    bytes: ctx._bytes,
  };
  if (ctx._error !== undefined) info.error = ctx._error;
  for (let i = 0; i < hooks.length; i++) {
    try {
      hooks[i]!(ctx, info);
    } catch (err) {
      ctx._rt.logger.error({ err, requestId: ctx.requestId }, "onResponse hook failed");
    }
  }
}

/**
 * Arranges for the `onResponse` hooks that apply to run once the response is finished or the
 * connection closed, with the status, route, duration, body bytes and whether the client went
 * away. A failing hook is logged.
 *
 * @example
 * ```ts
 * if (plan.hooks.onResponse !== null) observeResponse(ctx);
 * ```
 */
export function observeResponse(ctx: RequestContext): void {
  ctx._start = performance.now();
  const res = ctx.res as Observed;
  res[CONTEXT] = ctx;
  // `on`, not `once`: 'close' fires once, and `once` costs a wrapper per request.
  res.on("close", responseClosed);
}
