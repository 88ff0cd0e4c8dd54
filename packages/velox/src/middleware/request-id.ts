import { randomUUID } from "node:crypto";
import { VeloxError } from "../errors.ts";
import { middlewarePlugin, type MiddlewarePlugin } from "./hook-types.ts";

/** Options of {@link requestId}. */
export interface RequestIdOptions {
  /** The header read and echoed (default `x-request-id`). */
  header?: string;
  /** Take the client's (or the proxy's) id when it is well-formed (default true). */
  accept?: boolean;
  /** What an accepted id must look like (default: 1–128 of letters, digits and `_.:@-`). */
  pattern?: RegExp;
  /** Makes a new id (default `crypto.randomUUID`). */
  generate?: () => string;
}

const DEFAULT_PATTERN = /^[\w.:@-]{1,128}$/;

/**
 * The id of a request: the incoming header's value when accepted and well-formed, else a new one.
 * A malformed value (too long, spaces, CR/LF) is replaced, never echoed.
 *
 * @example
 * ```ts
 * chooseRequestId("abc-123", { accept: true, pattern: /^[\w-]+$/, generate: () => "new" }); // "abc-123"
 * chooseRequestId("a b", { accept: true, pattern: /^[\w-]+$/, generate: () => "new" });     // "new"
 * ```
 */
export function chooseRequestId(incoming: string | string[] | undefined, options: { accept: boolean; pattern: RegExp; generate: () => string }): string {
  if (options.accept && typeof incoming === "string" && options.pattern.test(incoming)) return incoming;
  return options.generate();
}


/**
 * Accepts or generates an `X-Request-ID` for every request and echoes it on every response,
 * 404s and 500s included; `ctx.requestId` (and the request's logs) carry the same id. An
 * `onRequest` hook picks the id, an `onSend` hook writes it.
 *
 * @example
 * ```ts
 * import { requestId } from "velox/middleware/request-id";
 * app.register(requestId({ generate: () => crypto.randomUUID() }));
 * ```
 */
export function requestId(options: RequestIdOptions = {}): MiddlewarePlugin {
  const header = (options.header ?? "x-request-id").toLowerCase();
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(header)) throw new VeloxError("VX_INVALID_OPTION", `requestId: ${JSON.stringify(header)} is not a header name`);
  const settings = { accept: options.accept ?? true, pattern: options.pattern ?? DEFAULT_PATTERN, generate: options.generate ?? randomUUID };
  return middlewarePlugin("requestId", {
    onRequest(ctx) {
      // The context carries it from here: ctx.requestId, ctx.log and the log line of a 500.
      ctx.requestId = chooseRequestId(ctx.req.headers[header], settings);
    },
    onSend(ctx, response) {
      const id = ctx.requestId;
      // A generator returning CR/LF would split the response; such an id is not sent.
      if (!/[\r\n]/.test(id)) response.headers[header] = id;
    },
  });
}
