import type { ServerResponse } from "node:http";
import type { RequestContext } from "../context.ts";
import type { Logger } from "../logger.ts";

/**
 * What a request gets when sending its response itself failed: a bare 500 if nothing was sent
 * yet, else the connection is cut (a second status line would corrupt it). Logged with its id.
 *
 * @example
 * ```ts
 * done.catch((err) => answerLastResort(ctx, logger, err));
 * ```
 */
export function answerLastResort(ctx: RequestContext, logger: Logger, err: unknown): void {
  logger.error({ err, requestId: ctx.requestId }, "failed to send a response");
  if (!ctx.res.headersSent) {
    ctx.res.writeHead(500, { "content-type": "application/json", "x-request-id": ctx.requestId });
    ctx.res.end('{"detail":"Internal Server Error"}');
  } else if (!ctx.res.writableEnded) ctx.res.destroy();
}

/**
 * What a request that arrived while the app was starting gets when the start failed: 503 with
 * `Retry-After`, the failure logged.
 *
 * @example
 * ```ts
 * app.ready().then(() => app.handler(req, res), (err) => answerStartFailed(res, logger, err));
 * ```
 */
export function answerStartFailed(res: ServerResponse, logger: Logger, err: unknown): void {
  logger.error({ err }, "app failed to start");
  if (!res.headersSent) {
    res.writeHead(503, { "content-type": "application/json", "retry-after": "5" });
    res.end('{"detail":"Service Unavailable"}');
  }
}
