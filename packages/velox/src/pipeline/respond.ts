import type { RequestContext } from "../context.ts";
import { errorResponse, statusOf } from "../error-response.ts";
import { ResponseValidationError } from "../http-exception.ts";
import type { RequestHooks } from "../hooks.ts";
import { ClientAbortedError } from "../params/read-body.ts";
import { mergeHeaders, type HeaderMap } from "../responses/headers.ts";
import { VeloxResponse } from "../responses/response.ts";
import { streamResponse } from "../responses/stream-route.ts";
import type { ExceptionHandler, ExceptionKey } from "../router.ts";
import { isBodylessStatus } from "../status.ts";
import { afterResponse } from "./after-response.ts";

type OnSend = RequestHooks["onSend"];

async function continueOnSend(ctx: RequestContext, pending: Promise<void | VeloxResponse>, current: VeloxResponse, hooks: readonly OnSend[], from: number): Promise<VeloxResponse> {
  const first = await pending;
  if (first instanceof VeloxResponse) current = first;
  for (let i = from; i < hooks.length; i++) {
    const next = await hooks[i]!(ctx, current);
    if (next instanceof VeloxResponse) current = next;
  }
  return current;
}

/** Runs `onSend` hooks in order (each may change the response or return a replacement); synchronous while they are. */
function runOnSend(ctx: RequestContext, response: VeloxResponse, hooks: readonly OnSend[]): VeloxResponse | Promise<VeloxResponse> {
  let current = response;
  for (let i = 0; i < hooks.length; i++) {
    const next = hooks[i]!(ctx, current);
    if (next instanceof Promise) return continueOnSend(ctx, next, current, hooks, i + 1);
    if (next instanceof VeloxResponse) current = next;
  }
  return current;
}

/** The body bytes a response will write, or -1 when it streams without a declared length. */
function bodyBytes(response: VeloxResponse): number {
  if (response.body !== null) return Buffer.byteLength(response.body);
  const declared = response.headers["content-length"];
  if (typeof declared === "string") return Number(declared);
  // Responses that write their own body (streams, files) are unknown; the rest send none.
  return response.write === VeloxResponse.prototype.write || isBodylessStatus(response.status) ? 0 : -1;
}

/**
 * Writes a finished response to the connection — the one place a response leaves the app:
 * schedules the request's cleanups and background tasks, runs the `onSend` hooks, writes.
 *
 * @example
 * ```ts
 * return writeResponse(ctx, new PlainTextResponse("pong"));
 * ```
 */
export function writeResponse(ctx: RequestContext, response: VeloxResponse): void | Promise<void> {
  afterResponse(ctx);
  const res = ctx.res;
  if (res.headersSent) return;
  if (ctx._start !== 0) ctx._bytes = bodyBytes(response);
  const onSend = ctx._onSend;
  if (onSend === null) return response.write(res, null);
  let final: VeloxResponse | Promise<VeloxResponse>;
  try {
    final = runOnSend(ctx, response, onSend);
  } catch (err) {
    return ctx._rt.lastResort(ctx, err);
  }
  if (!(final instanceof Promise)) return final.write(res, null);
  return final.then(
    (f) => (res.headersSent ? undefined : f.write(res, null)),
    (err) => ctx._rt.lastResort(ctx, err),
  );
}

/** Sends (or, under middleware, stores) a ready response; `mergeState` adds the handler's `response` headers. */
export function respondWith(ctx: RequestContext, response: VeloxResponse, mergeState: boolean): void | Promise<void> {
  if (mergeState && ctx._response !== null) mergeHeaders(response.headers, ctx._response.headers);
  ctx.result = response;
  if (ctx._deferred) return;
  return writeResponse(ctx, response);
}

/** Writes a JSON body (or none) with the handler's status and headers: the fast path of plain values. */
function writeJson(ctx: RequestContext, status: number, body: string | null): void | Promise<void> {
  const state = ctx._response;
  if (ctx._deferred || ctx._onSend !== null) {
    const response = new VeloxResponse(body, { status });
    if (body !== null) response.headers["content-type"] = "application/json";
    if (state !== null) mergeHeaders(response.headers, state.headers);
    ctx.result = response;
    if (ctx._deferred) return;
    return writeResponse(ctx, response);
  }
  afterResponse(ctx);
  const res = ctx.res;
  if (body === null) {
    ctx._bytes = 0;
    res.writeHead(status, state === null ? {} : state.headers);
    res.end();
    return;
  }
  // A response that measures its own body (Bun's) needs no length, unless an onResponse hook reads it.
  const length = ctx._start === 0 && (res as { measuresBody?: boolean }).measuresBody === true ? -1 : Buffer.byteLength(body);
  ctx._bytes = length;
  if (state === null) res.writeHead(status, { "content-type": "application/json", "content-length": length });
  else res.writeHead(status, jsonHead(length, state.headers));
  res.end(body);
}

/**
 * The head of a JSON response with the handler's headers, as node's flat `[name, value, ...]`
 * list: a spread into a fresh object literal (`{ ...defaults, ...headers }`) cost about 4,000
 * instructions for two headers (a rate limiter's), the list a few hundred. Same result: the
 * handler's own `content-type`/`content-length` replace the defaults.
 */
function jsonHead(length: number, headers: HeaderMap): (string | number | string[])[] {
  const head: (string | number | string[])[] = [];
  if (headers["content-type"] === undefined) head.push("content-type", "application/json");
  if (headers["content-length"] === undefined) head.push("content-length", length);
  for (const name in headers) head.push(name, headers[name]!);
  return head;
}

/** Validates and serializes a handler's plain value for its status, then writes it. */
function respondValue(ctx: RequestContext, value: unknown): void | Promise<void> {
  const plan = ctx._plan!;
  const status = ctx._response?.status ?? plan.status;
  const responder = status === plan.status ? plan.responder : plan.responders.get(status);
  if (responder === undefined) return writeJson(ctx, status, isBodylessStatus(status) ? null : JSON.stringify(value) ?? "null");
  if (responder.validate !== null) {
    const checked = responder.validate(value, ["response"]);
    if (checked instanceof Promise) {
      return checked.then((c) => {
        if (c.errors) throw new ResponseValidationError(c.errors);
        return writeJson(ctx, status, isBodylessStatus(status) ? null : responder.serialize(c.value, value));
      });
    }
    if (checked.errors) throw new ResponseValidationError(checked.errors);
    return writeJson(ctx, status, isBodylessStatus(status) ? null : responder.serialize(checked.value, value));
  }
  return writeJson(ctx, status, isBodylessStatus(status) ? null : responder.serialize(value));
}

/**
 * Sends what a handler returned: a ready response as is (plus the handler's headers), a plain
 * value through the route's response model. Throws what response validation finds.
 *
 * @example
 * ```ts
 * const value = plan.handler(ctx);
 * return value instanceof Promise ? value.then((v) => finish(ctx, v)) : finish(ctx, value);
 * ```
 */
export function finish(ctx: RequestContext, value: unknown): void | Promise<void> {
  if (value instanceof VeloxResponse) return respondWith(ctx, value, true);
  const stream = ctx._plan?.stream ?? null;
  if (stream !== null && !ctx.res.headersSent) return respondWith(ctx, streamResponse(ctx, stream, value, ctx._response?.status ?? ctx._plan!.status), true);
  if (ctx.res.headersSent) {
    afterResponse(ctx);
    return;
  }
  return respondValue(ctx, value);
}

/** Tells the `onError` hooks, then remembers the error for `onResponse`. */
export function reportError(ctx: RequestContext, error: unknown): void {
  ctx._error = error;
  const hooks = ctx._plan !== null ? ctx._plan.hooks.onError : ctx._rt.appHooks.onError;
  if (hooks === null) return;
  const status = statusOf(error);
  for (const hook of hooks) {
    try {
      hook(ctx, error, status);
    } catch (err) {
      ctx._rt.logger.error({ err, requestId: ctx.requestId }, "onError hook failed");
    }
  }
}

/**
 * Turns an error into the response: throws it into open generator dependencies first (so their
 * `except`/`finally` see it, as in FastAPI), tells the `onError` hooks, runs the innermost matching
 * exception handler (or the default answer) and sends the result. A client that went away gets
 * nothing; a response already under way is cut.
 *
 * @example
 * ```ts
 * return run().catch((err) => respondError(ctx, err));
 * ```
 */
export async function respondError(ctx: RequestContext, error: unknown, scopes?: readonly Map<ExceptionKey, ExceptionHandler>[]): Promise<void> {
  let current = error;
  if (ctx._exit !== null && ctx._exit.size > 0) current = await ctx._exit.abort(current);
  if (current instanceof ClientAbortedError) {
    afterResponse(ctx);
    return;
  }
  reportError(ctx, current);
  const rt = ctx._rt;
  const response = await errorResponse(scopes ?? ctx._plan?.exceptionScopes ?? rt.appScopes, current, ctx, rt.errorFormat, rt.logger);
  if (!ctx._deferred && ctx.res.headersSent) {
    if (!ctx.res.writableEnded) ctx.res.destroy();
    afterResponse(ctx);
    return;
  }
  await respondWith(ctx, response, false);
}
