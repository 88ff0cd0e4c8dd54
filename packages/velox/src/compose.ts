import type { RequestContext } from "./context.ts";

/** Code around every request: call `await next()` to run the rest of the app. */
export type Middleware = (ctx: RequestContext, next: () => Promise<void>) => Promise<void> | void;

/**
 * Composes middleware into one onion function, once (koa-compose's idea): each middleware runs
 * the next one through `next()`, which may be called at most once.
 *
 * @example
 * ```ts
 * const run = compose([timing, auth], (ctx) => dispatch(ctx));
 * await run(ctx);
 * ```
 */
export function compose(middleware: readonly Middleware[], last: (ctx: RequestContext) => Promise<void> | void): (ctx: RequestContext) => Promise<void> {
  return (ctx) => {
    let index = -1;
    const dispatch = (i: number): Promise<void> => {
      if (i <= index) return Promise.reject(new Error("next() called more than once"));
      index = i;
      try {
        if (i === middleware.length) return Promise.resolve(last(ctx));
        return Promise.resolve(middleware[i]!(ctx, () => dispatch(i + 1)));
      } catch (err) {
        return Promise.reject(err);
      }
    };
    return dispatch(0);
  };
}
