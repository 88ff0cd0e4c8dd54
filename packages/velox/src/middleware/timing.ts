import type { RequestContext } from "../context.ts";
import { VeloxError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { middlewarePlugin, type MiddlewarePlugin } from "./hook-types.ts";

/** Options of {@link timing}. */
export interface TimingOptions {
  /**
   * `x-process-time` (default: seconds, as FastAPI's middleware tutorial writes it),
   * `server-timing` (`app;dur=<ms>`, shown by browsers' dev tools), or both.
   */
  header?: "x-process-time" | "server-timing" | "both";
  /** Log a warning for requests slower than this many milliseconds (default 1000; `false` never). */
  slowMs?: number | false;
  /** Where the warning goes (default: the request's `ctx.log`, else the app's logger). */
  logger?: Logger;
}

const starts = new WeakMap<RequestContext, number>();

/**
 * Measures each request: `onRequest` notes the start, `onSend` writes the time spent so far
 * (routing to the response being ready) as `X-Process-Time` or `Server-Timing`, and
 * `onResponse` warns about requests slower than `slowMs`, with route template, method, status
 * and the full duration including the write.
 *
 * @example
 * ```ts
 * import { timing } from "velox/middleware/timing";
 * app.register(timing({ header: "both", slowMs: 500 }));
 * ```
 */
export function timing(options: TimingOptions = {}): MiddlewarePlugin {
  const header = options.header ?? "x-process-time";
  if (header !== "x-process-time" && header !== "server-timing" && header !== "both") {
    throw new VeloxError("VX_INVALID_OPTION", `timing: header must be "x-process-time", "server-timing" or "both", got ${JSON.stringify(header)}`);
  }
  const slowMs = options.slowMs ?? 1000;
  if (slowMs !== false && (typeof slowMs !== "number" || !(slowMs >= 0))) throw new VeloxError("VX_INVALID_OPTION", "timing: slowMs must be a non-negative number or false");
  const processTime = header !== "server-timing";
  const serverTiming = header !== "x-process-time";
  return middlewarePlugin("timing", {
    onRequest(ctx) {
      starts.set(ctx, performance.now());
    },
    onSend(ctx, response) {
      const start = starts.get(ctx);
      if (start === undefined) return;
      const ms = performance.now() - start;
      if (processTime) response.headers["x-process-time"] = (ms / 1000).toFixed(6);
      if (serverTiming) {
        const entry = `app;dur=${ms.toFixed(3)}`;
        const prev = response.headers["server-timing"];
        response.headers["server-timing"] = prev === undefined ? entry : `${Array.isArray(prev) ? prev.join(", ") : prev}, ${entry}`;
      }
    },
    onResponse(ctx, info) {
      starts.delete(ctx);
      if (slowMs === false || info.durationMs <= slowMs) return;
      const log = options.logger ?? (ctx as { log?: Logger }).log;
      log?.warn({ requestId: ctx.requestId, method: info.method, route: info.route, status: info.status, durationMs: Math.round(info.durationMs * 1000) / 1000, aborted: info.aborted }, "slow request");
    },
  });
}
