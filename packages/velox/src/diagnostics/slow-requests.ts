import type { Plugin } from "../app.ts";
import type { RequestContext } from "../context.ts";
import { VeloxError } from "../errors.ts";
import type { Logger } from "../logger.ts";

/** Options of {@link slowRequests}. */
export interface SlowRequestOptions {
  /** Requests that take at least this long are logged (milliseconds). */
  thresholdMs: number;
  /** Where the warnings go (default: the app's logger). */
  logger?: Logger;
}

/** Where the time of a slow request went, in milliseconds. */
export interface SlowRequestRecord {
  method: string;
  route: string | null;
  path: string;
  status: number;
  requestId: string;
  durationMs: number;
  /** Routing to `preHandler`: reading and validating inputs and resolving dependencies. */
  inputsMs: number | null;
  /** `preHandler` to `onSend`: the handler, and the serialization of its result. */
  handlerMs: number | null;
  /** `onSend` to the response finishing: writing to a slow client or a stream. */
  sendMs: number | null;
}

interface Marks {
  start: number;
  preHandler: number;
  send: number;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/**
 * A Velox plugin logging a warning for every request slower than `thresholdMs`, with the route
 * and where the time went: inputs and dependencies (until `preHandler`), the handler (until
 * `onSend`), and sending. Measured from the hooks with `performance.now()`; a phase that did not
 * happen (a request refused in `onRequest`, or failing validation) is null.
 *
 * @example
 * ```ts
 * import { slowRequests } from "velox/diagnostics";
 *
 * app.register(slowRequests({ thresholdMs: 500 }));
 * // {"level":"warn",…,"route":"/reports/{id}","durationMs":812.4,"inputsMs":640.2,"handlerMs":170.9,"sendMs":1.3,"msg":"slow request"}
 * ```
 */
export function slowRequests(options: SlowRequestOptions): Plugin {
  const { thresholdMs } = options;
  if (typeof thresholdMs !== "number" || !(thresholdMs >= 0)) throw new VeloxError("VX_INVALID_OPTION", `slowRequests(): thresholdMs must be a non-negative number, got ${String(thresholdMs)}`);
  return (app) => {
    const logger = options.logger ?? app.logger;
    const marks = new WeakMap<RequestContext, Marks>();
    app.addHook("onRequest", (ctx) => {
      marks.set(ctx, { start: performance.now(), preHandler: 0, send: 0 });
    });
    app.addHook("preHandler", (ctx) => {
      const m = marks.get(ctx);
      if (m !== undefined) m.preHandler = performance.now();
    });
    app.addHook("onSend", (ctx) => {
      const m = marks.get(ctx);
      if (m !== undefined) m.send = performance.now();
    });
    app.addHook("onResponse", (ctx, info) => {
      if (info.durationMs < thresholdMs) return;
      const m = marks.get(ctx);
      const end = performance.now();
      const url = ctx.req.url ?? "/";
      const q = url.indexOf("?");
      const record: SlowRequestRecord = {
        method: info.method,
        route: info.route,
        path: q === -1 ? url : url.slice(0, q),
        status: info.status,
        requestId: ctx.requestId,
        durationMs: round(info.durationMs),
        inputsMs: m !== undefined && m.preHandler > 0 ? round(m.preHandler - m.start) : null,
        handlerMs: m !== undefined && m.preHandler > 0 && m.send > 0 ? round(m.send - m.preHandler) : null,
        sendMs: m !== undefined && m.send > 0 ? round(end - m.send) : null,
      };
      logger.warn(record, "slow request");
    });
  };
}
