import type { RequestContext } from "../context.ts";
import type { VeloxResponse } from "../responses/response.ts";

/** A value or a promise of it. */
export type Maybe<T> = T | Promise<T>;

/** What `onResponse` hooks learn about a finished request. */
export interface ResponseInfo {
  status: number;
  route: string | null;
  method: string;
  durationMs: number;
  aborted: boolean;
  error?: unknown;
}

/**
 * The request hooks one middleware attaches. The same object goes to `app.addHook` (through the
 * plugin) or into a route's `hooks` option.
 *
 * @example
 * ```ts
 * const hooks: MiddlewareHooks = { onSend: (_ctx, response) => void response.setHeader("x-frame-options", "DENY") };
 * ```
 */
export interface MiddlewareHooks {
  onRequest?: (ctx: RequestContext) => Maybe<void | VeloxResponse>;
  onSend?: (ctx: RequestContext, response: VeloxResponse) => Maybe<void | VeloxResponse>;
  onResponse?: (ctx: RequestContext, info: ResponseInfo) => void;
}

/** What a middleware plugin needs from the app: `addHook`. */
export interface HookTarget {
  addHook(name: "onRequest", fn: NonNullable<MiddlewareHooks["onRequest"]>): unknown;
  addHook(name: "onSend", fn: NonNullable<MiddlewareHooks["onSend"]>): unknown;
  addHook(name: "onResponse", fn: NonNullable<MiddlewareHooks["onResponse"]>): unknown;
}

/**
 * A middleware as Velox ships them: a plugin for `app.register(...)` that also exposes its hooks
 * for one route (`hooks: plugin.hooks`).
 *
 * @example
 * ```ts
 * const headers = securityHeaders();
 * app.register(headers);                                  // every response
 * app.get("/embed", { hooks: headers.hooks }, () => "");  // or one route
 * ```
 */
export interface MiddlewarePlugin {
  (app: HookTarget): void;
  readonly hooks: Readonly<MiddlewareHooks>;
}

/** Wraps hooks into a {@link MiddlewarePlugin}. */
export function middlewarePlugin(name: string, hooks: MiddlewareHooks): MiddlewarePlugin {
  const frozen = Object.freeze({ ...hooks });
  const plugin = (app: HookTarget): void => {
    if (frozen.onRequest) app.addHook("onRequest", frozen.onRequest);
    if (frozen.onSend) app.addHook("onSend", frozen.onSend);
    if (frozen.onResponse) app.addHook("onResponse", frozen.onResponse);
  };
  Object.defineProperty(plugin, "name", { value: name });
  return Object.assign(plugin, { hooks: frozen });
}
