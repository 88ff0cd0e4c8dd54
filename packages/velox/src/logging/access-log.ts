import type { Plugin } from "../app.ts";
import type { ResponseInfo } from "../hooks.ts";
import { requestTrace } from "../batteries/request-trace.ts";
import type { RequestContext } from "../context.ts";
import { VeloxError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { responseBodyBytes } from "../metrics/body-bytes.ts";
import { clientAddress } from "../server/trust-proxy.ts";
import { accessLineWriter } from "./access-line.ts";
import { lineWriterOf } from "./create-logger.ts";

/** The fields of one access log line. */
export interface AccessRecord {
  method: string;
  /** The route template, or null when nothing matched. */
  route: string | null;
  /** The raw path, without the query string (which often carries tokens). */
  path: string;
  status: number;
  durationMs: number;
  /** Response body bytes, or null when unknown (a stream without a length). */
  bytes: number | null;
  requestId: string;
  /** The trace, when `velox/tracing` traces the request. */
  traceId?: string;
  /** The client's address, through the server's `trustProxy` setting. */
  client: string;
  userAgent: string | undefined;
  /** Present and true when the client went away first. */
  aborted?: true;
}

/** Options of {@link accessLog}. */
export interface AccessLogOptions {
  /** Where lines go (default: the app's logger). */
  logger?: Logger;
  /** Level of a line (default `info`; 5xx lines are `error`, 4xx `warn` when `levelByStatus`). */
  level?: "info" | "debug";
  /** Log 4xx as `warn` and 5xx as `error` (default false: every line at `level`). */
  levelByStatus?: boolean;
  /** Leave out requests this returns true for (e.g. probes or `/metrics`). */
  skip?: (ctx: RequestContext, info: ResponseInfo) => boolean;
}

/** The message of every access line (what `velox dev` recognises). */
export const ACCESS_MESSAGE = "request completed";

const withAccessLog = new WeakSet<object>();

/**
 * Whether `app` already writes access lines (so `velox dev` does not add a second).
 *
 * @example
 * ```ts
 * if (!hasAccessLog(app)) app.register(accessLog());
 * ```
 */
export function hasAccessLog(app: object): boolean {
  return withAccessLog.has(app);
}

function pathOf(url: string): string {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

/**
 * The access line of a finished request.
 *
 * @example
 * ```ts
 * logger.info(accessRecord(ctx, info), "request completed");
 * ```
 */
export function accessRecord(ctx: RequestContext, info: ResponseInfo): AccessRecord {
  const req = ctx.req;
  const bytes = responseBodyBytes(ctx.res, info.bytes, info.method);
  const record: AccessRecord = {
    method: info.method,
    route: info.route,
    path: pathOf(req.url ?? "/"),
    status: info.status,
    durationMs: Math.round(info.durationMs * 100) / 100,
    bytes: bytes < 0 ? null : bytes,
    requestId: ctx.requestId,
    client: clientAddress(req),
    userAgent: req.headers["user-agent"],
  };
  const trace = requestTrace(ctx);
  if (trace !== undefined) record.traceId = trace.traceId;
  if (info.aborted) record.aborted = true;
  return record;
}

/**
 * A Velox plugin writing one line per request after it finished — method, route template, raw
 * path, status, duration, bytes, request id, client address (through `trustProxy`), user agent —
 * and, with `velox/logging`'s `createLogger` and `requestScope`, the trace id. Lines are built in
 * `onResponse`, after the response went out, and written asynchronously by pino.
 *
 * @example
 * ```ts
 * import { accessLog, createLogger } from "velox/logging";
 *
 * const app = new Velox({ logger: createLogger(), requestScope: true });
 * app.register(accessLog({ skip: (ctx) => ctx.route === "/metrics" }));
 * // {"level":"info","time":…,"pid":…,"requestId":"…","method":"GET","route":"/items/{id}","path":"/items/5","status":200,"durationMs":1.42,"bytes":27,…,"msg":"request completed"}
 * ```
 */
export function accessLog(options: AccessLogOptions = {}): Plugin {
  const level = options.level ?? "info";
  if (level !== "info" && level !== "debug") throw new VeloxError("VX_INVALID_OPTION", `accessLog(): level must be "info" or "debug", got ${JSON.stringify(level)}`);
  const { skip, levelByStatus = false } = options;
  return (app) => {
    const logger = options.logger ?? app.logger;
    const fast = lineWriterOf(logger);
    const at = (name: "debug" | "info" | "warn" | "error"): ((record: AccessRecord) => void) => {
      if (fast !== undefined) return accessLineWriter(fast, name, ACCESS_MESSAGE);
      const method = logger[name]?.bind(logger);
      return method === undefined ? () => {} : (record) => method(record, ACCESS_MESSAGE);
    };
    const write = at(level);
    const warn = at("warn");
    const error = at("error");
    withAccessLog.add(app);
    app.addHook("onResponse", (ctx, info) => {
      if (skip !== undefined && skip(ctx, info)) return;
      const record = accessRecord(ctx, info);
      if (levelByStatus && info.status >= 500) error(record);
      else if (levelByStatus && info.status >= 400) warn(record);
      else write(record);
    });
  };
}
