import { context, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from "@opentelemetry/api";

/** Options of {@link traced}. */
export interface TracedOptions {
  /** Default: the global provider's tracer `velox`. */
  tracer?: Tracer;
  attributes?: Attributes;
}

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
}

/**
 * Wraps a function so each call runs in a span of its own, a child of the span active where it is
 * called (inside a request, the request's server span) — or, when called where none is active (a
 * background task after the response), of the span active where it was wrapped. Errors and
 * rejections are recorded and rethrown. For dependencies (`depends(traced("current user", fn))`)
 * and background tasks (`background.add(traced("send mail", sendMail), to)`).
 *
 * @example
 * ```ts
 * import { traced } from "velox/tracing";
 *
 * const currentUser = depends(traced("current user", async ({ req }) => users.byToken(req.headers.authorization)));
 * app.post("/signup", {}, ({ background }) => {
 *   background.add(traced("send welcome mail", sendMail), "ada@example.com");
 *   return { ok: true };
 * });
 * ```
 */
export function traced<A extends unknown[], R>(name: string, fn: (...args: A) => R, options: TracedOptions = {}): (...args: A) => R {
  const wrappedIn = context.active();
  return function (this: unknown, ...args: A): R {
    const tracer = options.tracer ?? trace.getTracer("velox");
    const active = context.active();
    const parent = active === ROOT_CONTEXT ? wrappedIn : active;
    const span = tracer.startSpan(name, { attributes: options.attributes }, parent);
    let result: R;
    try {
      result = context.with(trace.setSpan(parent, span), () => fn.apply(this, args));
    } catch (error) {
      fail(span, error);
      span.end();
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          span.end();
          return value;
        },
        (error: unknown) => {
          fail(span, error);
          span.end();
          throw error;
        },
      ) as R;
    }
    span.end();
    return result;
  };
}
