import { AsyncLocalStorage } from "node:async_hooks";
import type { RequestContext } from "./context.ts";

/**
 * The one request scope of Velox. Apps enable it with `requestScope: true` (logging, tracing and
 * metrics batteries do so); it is entered outermost, before any middleware, so everything in the
 * request — middleware, dependencies, handlers, background tasks — sees the same context. It is
 * off by default because AsyncLocalStorage costs on every promise in Node 20.
 */
export const requestScope = new AsyncLocalStorage<RequestContext>();

/**
 * The context of the request being served, or `undefined` outside one (or when the app did not
 * enable `requestScope`).
 *
 * @example
 * ```ts
 * function audit(message: string) {
 *   logger.info({ requestId: currentRequest()?.requestId }, message);
 * }
 * ```
 */
export function currentRequest(): RequestContext | undefined {
  return requestScope.getStore();
}
