import type { RequestContext } from "../context.ts";
import { VeloxResponse } from "../responses/response.ts";

type EarlyHook = (ctx: RequestContext) => void | VeloxResponse | Promise<void | VeloxResponse>;

async function continueFrom(first: Promise<void | VeloxResponse>, hooks: readonly EarlyHook[], from: number, ctx: RequestContext): Promise<VeloxResponse | undefined> {
  const r = await first;
  if (r instanceof VeloxResponse) return r;
  for (let i = from; i < hooks.length; i++) {
    const next = await hooks[i]!(ctx);
    if (next instanceof VeloxResponse) return next;
  }
  return undefined;
}

/**
 * Runs `onRequest` or `preHandler` hooks in order until one returns a response. Synchronous while
 * the hooks are: `undefined` when all ran, the response when one answered, a promise of either
 * as soon as a hook is asynchronous.
 *
 * @example
 * ```ts
 * const early = runHooks(plan.hooks.onRequest, ctx);
 * if (early instanceof VeloxResponse) return respondWith(ctx, early, true);
 * ```
 */
export function runHooks(hooks: readonly EarlyHook[], ctx: RequestContext): VeloxResponse | undefined | Promise<VeloxResponse | undefined> {
  for (let i = 0; i < hooks.length; i++) {
    const r = hooks[i]!(ctx);
    if (r instanceof VeloxResponse) return r;
    if (r instanceof Promise) return continueFrom(r, hooks, i + 1, ctx);
  }
  return undefined;
}
