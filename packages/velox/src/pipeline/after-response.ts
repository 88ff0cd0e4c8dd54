import type { RequestContext } from "../context.ts";

/**
 * Schedules a request's background tasks and request-scoped dependency cleanups for when its
 * response is done (the connection's `close`), or at once when it already is.
 *
 * @example
 * ```ts
 * afterResponse(ctx); // then write the response
 * ```
 */
export function afterResponse(ctx: RequestContext): void {
  const tasks = ctx._background;
  const exit = ctx._exit;
  const hasTasks = tasks !== null && tasks.size > 0;
  const hasExit = exit !== null && exit.size > 0;
  if (!hasTasks && !hasExit) return;
  // Scheduled once: whoever writes later finds nothing left to schedule.
  ctx._background = null;
  ctx._exit = null;
  const rt = ctx._rt;
  const run = () => {
    if (hasExit) exit.close("all").catch((err) => rt.logger.error({ err, requestId: ctx.requestId }, "dependency cleanup failed"));
    if (hasTasks) rt.background.run(tasks, () => ctx.requestId);
  };
  const res = ctx.res;
  if (res.destroyed || (res as { closed?: boolean }).closed) run();
  else res.once("close", run);
}
