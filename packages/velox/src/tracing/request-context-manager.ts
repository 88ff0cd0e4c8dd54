import { AsyncLocalStorage } from "node:async_hooks";
import { ROOT_CONTEXT, type Context, type ContextManager } from "@opentelemetry/api";
import type { RequestContext } from "../context.ts";
import { currentRequest } from "../request-scope.ts";

const requestContexts = new WeakMap<RequestContext, Context>();

/** Makes `context` (holding the server span) the active OpenTelemetry context of a request. @internal */
export function setRequestOtelContext(ctx: RequestContext, context: Context): void {
  requestContexts.set(ctx, context);
}

/**
 * The OpenTelemetry context of a request (its server span), or undefined when it is not traced.
 *
 * @example
 * ```ts
 * const parent = requestOtelContext(ctx) ?? context.active();
 * tracer.startSpan("load cart", {}, parent);
 * ```
 */
export function requestOtelContext(ctx: RequestContext): Context | undefined {
  return requestContexts.get(ctx);
}

/**
 * An OpenTelemetry context manager that reads the active context from Velox's one request scope:
 * inside a request, the server span is active — for `trace.getActiveSpan()`, for instrumented
 * clients (pg, ioredis, undici) and for the user's own `startActiveSpan` — with no second
 * AsyncLocalStorage entered per request. Nested `context.with(...)` calls (rare, and the user's
 * choice) run in an AsyncLocalStorage of their own.
 *
 * `tracing()` registers it unless the app registered a context manager already; to combine it
 * with an SDK, pass it as `contextManager` (see docs/tracing.md).
 *
 * @example
 * ```ts
 * import { context } from "@opentelemetry/api";
 * context.setGlobalContextManager(new RequestContextManager().enable());
 * ```
 */
export class RequestContextManager implements ContextManager {
  private readonly nested = new AsyncLocalStorage<Context>();
  private enabled = false;

  active(): Context {
    if (!this.enabled) return ROOT_CONTEXT;
    const nested = this.nested.getStore();
    if (nested !== undefined) return nested;
    const ctx = currentRequest();
    return (ctx !== undefined ? requestContexts.get(ctx) : undefined) ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.nested.run(context, () => fn.apply(thisArg, args));
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== "function") return target;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    const with_ = (thisArg: unknown, args: unknown[]): unknown => this.with(context, () => fn.apply(thisArg, args));
    return function (this: unknown, ...args: unknown[]) {
      return with_(this, args);
    } as T;
  }

  enable(): this {
    this.enabled = true;
    return this;
  }

  disable(): this {
    this.enabled = false;
    this.nested.disable();
    return this;
  }
}
