import type { RequestHooks } from "../hooks.ts";

export type { ResponseInfo } from "../hooks.ts";

/**
 * The request hooks one middleware attaches. The same object goes to `app.addHook` (through the
 * plugin) or into a route's `hooks` option.
 *
 * @example
 * ```ts
 * const hooks: MiddlewareHooks = { onSend: (_ctx, response) => void response.setHeader("x-frame-options", "DENY") };
 * ```
 */
export type MiddlewareHooks = Pick<Partial<RequestHooks>, "onRequest" | "onSend" | "onResponse">;

/** What a middleware plugin needs from the app (or a router): `addHook`. */
export interface HookTarget {
  addHook<K extends keyof RequestHooks>(name: K, hook: RequestHooks[K]): unknown;
}

/**
 * A middleware as Velox ships them: a plugin for `app.register(...)` (or `router` via
 * `plugin(router)`) that also exposes its hooks for one route (`hooks: plugin.hooks`).
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

/**
 * Wraps hooks into a {@link MiddlewarePlugin}.
 *
 * @example
 * ```ts
 * export const poweredBy = () => middlewarePlugin("poweredBy", { onSend: (_ctx, r) => void r.setHeader("x-powered-by", "Velox") });
 * ```
 */
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
