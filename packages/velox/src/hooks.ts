import type { RequestContext } from "./context.ts";
import { VeloxError } from "./errors.ts";
import type { VeloxResponse } from "./responses/response.ts";

type Maybe<T> = T | Promise<T>;

/** What an `onResponse` hook learns about a finished request. */
export interface ResponseInfo {
  /** The status sent (or about to be sent when the client went away). */
  status: number;
  /** The matched route template, or null when nothing matched. */
  route: string | null;
  method: string;
  /** Milliseconds from the request's arrival to the end of the response. */
  durationMs: number;
  /** True when the connection closed before the response was completely written. */
  aborted: boolean;
  /** Bytes of the response body as written by Velox (0 for none), or -1 when unknown (a stream without a length). */
  bytes: number;
  /** The error the response was made from (validation errors, HTTPException, crashes), if any. */
  error?: unknown;
}

/**
 * Per-request hooks. `onRequest` runs after routing, before the body is read; `preHandler` after
 * inputs are validated and dependencies resolved; either may return a response to answer at
 * once. `onSend` sees (and may change or replace) the final response before it is written.
 * `onResponse` runs once the response is finished or the client went away; `onError` when an
 * error becomes a response. Hooks are compiled into each route's plan and cost nothing when none
 * is registered.
 *
 * @example
 * ```ts
 * app.addHook("onRequest", (ctx) => { if (ctx.req.headers["x-block"]) return new EmptyResponse(403); });
 * app.addHook("onResponse", (ctx, info) => console.log(info.method, info.route, info.status, info.durationMs));
 * ```
 */
export interface RequestHooks {
  onRequest: (ctx: RequestContext) => Maybe<void | VeloxResponse>;
  preHandler: (ctx: RequestContext) => Maybe<void | VeloxResponse>;
  onSend: (ctx: RequestContext, response: VeloxResponse) => Maybe<void | VeloxResponse>;
  onResponse: (ctx: RequestContext, info: ResponseInfo) => void;
  onError: (ctx: RequestContext, error: unknown, status: number) => void;
}

/** App lifecycle hooks: after startup, when shutdown begins (drain started), after the drain. */
export interface LifecycleHooks<App> {
  onReady: (app: App) => Maybe<void>;
  preClose: (app: App) => Maybe<void>;
  onClose: (app: App) => Maybe<void>;
}

/** The name of a per-request hook. */
export type RequestHookName = keyof RequestHooks;

/** The name of a lifecycle hook (app level only). */
export type LifecycleHookName = keyof LifecycleHooks<unknown>;

/** Route-level hooks: `hooks: { onRequest: fn }` or arrays of them. */
export type RouteHooks = { [K in RequestHookName]?: RequestHooks[K] | readonly RequestHooks[K][] };

/** The request hooks that apply to one route (outermost first), `null` where none does. */
export type CompiledHooks = { [K in RequestHookName]: RequestHooks[K][] | null };

/** Registered hooks of one level (app, router or route). */
export type HookLists = { [K in RequestHookName]: RequestHooks[K][] };

export const REQUEST_HOOKS: readonly RequestHookName[] = ["onRequest", "preHandler", "onSend", "onResponse", "onError"];
export const LIFECYCLE_HOOKS: readonly LifecycleHookName[] = ["onReady", "preClose", "onClose"];

/**
 * Empty hook lists for one level.
 *
 * @example
 * ```ts
 * const hooks = emptyHooks();
 * hooks.onRequest.push(checkApiKey);
 * ```
 */
export function emptyHooks(): HookLists {
  return { onRequest: [], preHandler: [], onSend: [], onResponse: [], onError: [] };
}

/**
 * Checks a hook registration and files it; throws `VX_INVALID_OPTION` for an unknown name or a
 * value that is not a function.
 *
 * @example
 * ```ts
 * addRequestHook(router.hooks, "onSend", addEtag, "Router /items");
 * ```
 */
export function addRequestHook(lists: HookLists, name: string, fn: unknown, where: string): void {
  if (!(REQUEST_HOOKS as readonly string[]).includes(name)) {
    const lifecycle = (LIFECYCLE_HOOKS as readonly string[]).includes(name);
    throw new VeloxError("VX_INVALID_OPTION", `${where}: ${lifecycle ? `"${name}" is an app lifecycle hook; add it on the app` : `unknown hook "${name}"`}`);
  }
  if (typeof fn !== "function") throw new VeloxError("VX_INVALID_OPTION", `${where}: the ${name} hook must be a function`);
  (lists[name as RequestHookName] as unknown[]).push(fn);
}

/**
 * The hook lists of a route's `hooks` option, checked.
 *
 * @example
 * ```ts
 * routeHookLists({ onRequest: [a, b], onSend: etag }, "GET /items");
 * ```
 */
export function routeHookLists(hooks: RouteHooks | undefined, where: string): HookLists | null {
  if (hooks === undefined) return null;
  if (typeof hooks !== "object" || hooks === null) throw new VeloxError("VX_INVALID_OPTION", `${where}: "hooks" must be an object of hook functions`);
  const lists = emptyHooks();
  for (const [name, value] of Object.entries(hooks)) {
    for (const fn of Array.isArray(value) ? value : [value]) addRequestHook(lists, name, fn, where);
  }
  return lists;
}

/**
 * Merges the hook lists of the levels that apply to a route (outermost first) into its compiled
 * hooks, `null` for every kind no level registered.
 *
 * @example
 * ```ts
 * const hooks = compileHooks([app.hooks, ...record.hookScopes]);
 * if (hooks.onRequest !== null) { ... }
 * ```
 */
export function compileHooks(levels: readonly (HookLists | null)[]): CompiledHooks {
  const out = {} as CompiledHooks;
  for (const name of REQUEST_HOOKS) {
    const all: unknown[] = [];
    for (const level of levels) if (level !== null) all.push(...level[name]);
    (out as Record<string, unknown>)[name] = all.length > 0 ? all : null;
  }
  return out;
}

/** True when no hook of any kind applies. */
export function noHooks(hooks: CompiledHooks): boolean {
  return REQUEST_HOOKS.every((name) => hooks[name] === null);
}
