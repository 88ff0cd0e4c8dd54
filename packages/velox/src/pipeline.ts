import type { IncomingMessage } from "node:http";
import { parse as parseCookies } from "cookie";
import type { BackgroundRunner } from "./background.ts";
import type { RequestContext } from "./context.ts";
import type { AppScope } from "./di/app-scope.ts";
import { solveDependencies, type RawInputs } from "./di/solve.ts";
import { errorResponse, type ErrorFormat } from "./error-response.ts";
import { ProtocolError } from "./errors.ts";
import { RequestValidationError, ResponseValidationError, type ErrorDetail } from "./http-exception.ts";
import type { Logger } from "./logger.ts";
import type { RawSource } from "./params/extract.ts";
import { defaultFormLimits, isUrlEncoded, parseUrlEncoded } from "./params/form-body.ts";
import { checkJsonContentType, parseJsonBody } from "./params/json-body.ts";
import { ClientAbortedError, hasNoBody, readBody, readBodyInto, type BodySink } from "./params/read-body.ts";
import { mergeHeaders } from "./responses/headers.ts";
import { VeloxResponse } from "./responses/response.ts";
import type { ExceptionHandler, ExceptionKey } from "./router.ts";
import type { RoutePlan } from "./route-plan.ts";
import { isBodylessStatus } from "./status.ts";

/** What the pipeline needs from the app. */
export interface Runtime {
  appScope: AppScope;
  background: BackgroundRunner;
  logger: Logger;
  errorFormat: ErrorFormat;
  /**
   * Body routes continue from promises rather than from the body stream's events, which run
   * outside the request's async context: set when something reads that context (`requestScope`).
   */
  keepAsyncContext: boolean;
  /** Answers an error that escaped every handler (500, or a destroyed socket once headers went out). */
  lastResort(ctx: RequestContext, error: unknown): void;
}

const CONTEXT_KEY = { path: "path", query: "query", header: "headers", cookie: "cookies", form: "form" } as const;

function cookiesOf(req: IncomingMessage): RawSource {
  const header = req.headers.cookie;
  return header ? (parseCookies(header) as RawSource) : {};
}

function sourceOf(location: keyof typeof CONTEXT_KEY, params: RawSource, query: RawSource, ctx: RequestContext, inputs: RawInputs | null): RawSource {
  switch (location) {
    case "path": return params;
    case "query": return query;
    case "header": return ctx.req.headers as RawSource;
    case "cookie": return inputs ? inputs.cookies() : cookiesOf(ctx.req);
    case "form": return inputs?.form ?? {};
  }
}

/** Validates the route's own parameters into the context; returns the errors (or null). */
function extractRoute(plan: RoutePlan, ctx: RequestContext, params: RawSource, query: RawSource, inputs: RawInputs | null): ErrorDetail[] | null | Promise<ErrorDetail[] | null> {
  let errors: ErrorDetail[] | null = null;
  let pending: Promise<void>[] | null = null;
  const target = ctx as unknown as Record<string, unknown>;
  for (let i = 0; i < plan.sources.length; i++) {
    const source = plan.sources[i]!;
    const result = source.run(sourceOf(source.location, params, query, ctx, inputs), ctx.req);
    const key = CONTEXT_KEY[source.location];
    if (result instanceof Promise) {
      (pending ??= []).push(result.then((r) => {
        if (r.errors) (errors ??= []).push(...r.errors);
        else target[key] = r.value;
      }));
    } else if (result.errors) (errors ??= []).push(...result.errors);
    else target[key] = result.value;
  }
  if (plan.body) {
    const checked = plan.body(inputs?.json, ["body"]);
    if (checked instanceof Promise) {
      (pending ??= []).push(checked.then((c) => {
        if (c.errors) (errors ??= []).push(...c.errors);
        else ctx.body = c.value;
      }));
    } else if (checked.errors) (errors ??= []).push(...checked.errors);
    else ctx.body = checked.value;
  }
  if (pending) return Promise.all(pending).then(() => errors);
  return errors;
}

/** Schedules background tasks and request-scoped cleanups for when the response is done. */
export function afterResponse(rt: Runtime, ctx: RequestContext): void {
  const tasks = ctx._background;
  const exit = ctx._exit;
  const hasTasks = tasks !== null && tasks.size > 0;
  const hasExit = exit !== null && exit.size > 0;
  if (!hasTasks && !hasExit) return;
  const run = () => {
    if (hasExit) exit.close("all").catch((err) => rt.logger.error({ err, requestId: ctx.requestId }, "dependency cleanup failed"));
    if (hasTasks) rt.background.run(tasks, () => ctx.requestId);
  };
  const res = ctx.res;
  if (res.destroyed || (res as { closed?: boolean }).closed) run();
  else res.once("close", run);
}

/** Sends (or, under middleware, stores) a ready response. */
export function deliver(rt: Runtime, ctx: RequestContext, response: VeloxResponse, mergeState: boolean): void | Promise<void> {
  if (mergeState && ctx._response !== null) mergeHeaders(response.headers, ctx._response.headers);
  ctx.result = response;
  if (ctx._deferred) return;
  afterResponse(rt, ctx);
  if (ctx.res.headersSent) return;
  return response.write(ctx.res, null);
}

function writeJson(rt: Runtime, ctx: RequestContext, status: number, body: string | null): void {
  const state = ctx._response;
  if (ctx._deferred) {
    const response = new VeloxResponse(body, { status });
    response.headers["content-type"] = "application/json";
    if (state !== null) mergeHeaders(response.headers, state.headers);
    ctx.result = response;
    return;
  }
  afterResponse(rt, ctx);
  const res = ctx.res;
  if (body === null) {
    res.writeHead(status, state === null ? {} : state.headers);
    res.end();
    return;
  }
  const length = Buffer.byteLength(body);
  if (state === null) res.writeHead(status, { "content-type": "application/json", "content-length": length });
  else res.writeHead(status, { "content-type": "application/json", "content-length": length, ...state.headers });
  res.end(body);
}

/** Turns an error into the response (running generator cleanups and exception handlers first). */
export async function fail(rt: Runtime, scopes: readonly Map<ExceptionKey, ExceptionHandler>[], ctx: RequestContext, error: unknown): Promise<void> {
  let current = error;
  if (ctx._exit !== null && ctx._exit.size > 0) current = await ctx._exit.abort(current);
  if (current instanceof ClientAbortedError) {
    afterResponse(rt, ctx);
    return;
  }
  const response = await errorResponse(scopes, current, ctx, rt.errorFormat, rt.logger);
  if (!ctx._deferred && ctx.res.headersSent) {
    if (!ctx.res.writableEnded) ctx.res.destroy();
    afterResponse(rt, ctx);
    return;
  }
  await deliver(rt, ctx, response, false);
}

function respondValue(rt: Runtime, plan: RoutePlan, ctx: RequestContext, value: unknown): void | Promise<void> {
  const status = ctx._response?.status ?? plan.status;
  const responder = status === plan.status ? plan.responder : plan.responders.get(status);
  if (responder === undefined) {
    writeJson(rt, ctx, status, isBodylessStatus(status) ? null : JSON.stringify(value) ?? "null");
    return;
  }
  if (responder.validate !== null) {
    const checked = responder.validate(value, ["response"]);
    if (checked instanceof Promise) {
      return checked.then((c) => {
        if (c.errors) throw new ResponseValidationError(c.errors);
        writeJson(rt, ctx, status, isBodylessStatus(status) ? null : responder.serialize(c.value));
      });
    }
    if (checked.errors) throw new ResponseValidationError(checked.errors);
    value = checked.value;
  }
  writeJson(rt, ctx, status, isBodylessStatus(status) ? null : responder.serialize(value));
}

/** Sends what a handler returned. */
function finish(rt: Runtime, plan: RoutePlan, ctx: RequestContext, value: unknown): void | Promise<void> {
  if (value instanceof VeloxResponse) return deliver(rt, ctx, value, true);
  if (ctx.res.headersSent) {
    afterResponse(rt, ctx);
    return;
  }
  return respondValue(rt, plan, ctx, value);
}

/** The request's raw inputs; cookies are parsed on first use. */
class RequestInputs implements RawInputs {
  form: RawSource | null = null;
  json: unknown = undefined;
  private parsedCookies: RawSource | null = null;
  readonly headers: RawSource;

  constructor(
    readonly path: RawSource,
    readonly query: RawSource,
    private readonly req: IncomingMessage,
  ) {
    this.headers = req.headers as RawSource;
  }

  cookies(): RawSource {
    return (this.parsedCookies ??= cookiesOf(this.req));
  }
}

/** Checks the Content-Type of a route that reads a body; throws 415 before any byte is read. */
function checkBodyType(plan: RoutePlan, contentType: string | undefined): void {
  if (plan.bodyKind === "json") checkJsonContentType(contentType);
  else if (!isUrlEncoded(contentType)) throw new ProtocolError(415, "Content-Type must be application/x-www-form-urlencoded");
}

/** Decodes a body already read into the inputs (JSON or form). */
function decodeBody(plan: RoutePlan, inputs: RequestInputs, bytes: Buffer): void {
  if (plan.bodyKind === "json") {
    if (bytes.length > 0) inputs.json = parseJsonBody(bytes);
  } else inputs.form = parseUrlEncoded(bytes, defaultFormLimits);
}

async function readInputs(plan: RoutePlan, ctx: RequestContext, params: RawSource, query: RawSource): Promise<RawInputs> {
  const inputs = new RequestInputs(params, query, ctx.req);
  if (plan.bodyKind === null || hasNoBody(ctx.req)) return inputs;
  checkBodyType(plan, ctx.req.headers["content-type"]);
  decodeBody(plan, inputs, await readBody(ctx.req, plan.bodyLimit));
  return inputs;
}

/**
 * Given the route's own validation result, calls the handler and responds: synchronously when
 * validation and the handler are, with one promise chain otherwise. Errors end in `fail`.
 */
function validateAndRun(
  rt: Runtime,
  plan: RoutePlan,
  ctx: RequestContext,
  errors: ErrorDetail[] | null | Promise<ErrorDetail[] | null>,
  body: unknown,
): void | Promise<void> {
  try {
    if (errors !== null) {
      if (!(errors instanceof Promise)) throw new RequestValidationError(errors, body);
      return errors
        .then((errs) => {
          if (errs !== null) throw new RequestValidationError(errs, body);
          return plan.handler(ctx);
        })
        .then((v) => finish(rt, plan, ctx, v))
        .catch((err) => fail(rt, plan.exceptionScopes, ctx, err));
    }
    const value = plan.handler(ctx);
    if (value instanceof Promise) {
      return value.then((v) => finish(rt, plan, ctx, v)).catch((err) => fail(rt, plan.exceptionScopes, ctx, err));
    }
    const done = finish(rt, plan, ctx, value);
    if (done !== undefined) return done.catch((err) => fail(rt, plan.exceptionScopes, ctx, err));
  } catch (err) {
    return fail(rt, plan.exceptionScopes, ctx, err);
  }
}

/** The rest of a body route without dependencies, once the body is in: the body read is its only await. */
function afterBody(rt: Runtime, plan: RoutePlan, ctx: RequestContext, params: RawSource, query: RawSource, bytes: Buffer | null): void | Promise<void> {
  let inputs: RequestInputs;
  try {
    inputs = new RequestInputs(params, query, ctx.req);
    if (bytes !== null) decodeBody(plan, inputs, bytes);
  } catch (err) {
    return fail(rt, plan.exceptionScopes, ctx, err);
  }
  let errors: ErrorDetail[] | null | Promise<ErrorDetail[] | null>;
  try {
    errors = extractRoute(plan, ctx, params, query, inputs);
  } catch (err) {
    return fail(rt, plan.exceptionScopes, ctx, err);
  }
  return validateAndRun(rt, plan, ctx, errors, inputs.json);
}

/**
 * A body route's continuation when nobody awaits the route (no middleware, no async context to
 * keep): the body stream's events call it directly, without a promise per request.
 */
class BodyRouteContinuation implements BodySink {
  constructor(
    private readonly rt: Runtime,
    private readonly plan: RoutePlan,
    private readonly ctx: RequestContext,
    private readonly params: RawSource,
    private readonly query: RawSource,
  ) {}

  bodyRead(bytes: Buffer): void {
    this.settle(afterBody(this.rt, this.plan, this.ctx, this.params, this.query, bytes));
  }

  bodyFailed(error: Error): void {
    this.settle(fail(this.rt, this.plan.exceptionScopes, this.ctx, error));
  }

  private settle(done: void | Promise<void>): void {
    if (done !== undefined) done.catch((err) => this.rt.lastResort(this.ctx, err));
  }
}

function executeBodyRoute(rt: Runtime, plan: RoutePlan, ctx: RequestContext, params: RawSource, query: RawSource): void | Promise<void> {
  const req = ctx.req;
  if (hasNoBody(req)) return afterBody(rt, plan, ctx, params, query, null);
  try {
    checkBodyType(plan, req.headers["content-type"]);
  } catch (err) {
    return fail(rt, plan.exceptionScopes, ctx, err);
  }
  if (!ctx._deferred && !rt.keepAsyncContext) {
    readBodyInto(req, plan.bodyLimit, new BodyRouteContinuation(rt, plan, ctx, params, query));
    return;
  }
  return readBody(req, plan.bodyLimit).then(
    (bytes) => afterBody(rt, plan, ctx, params, query, bytes),
    (err) => fail(rt, plan.exceptionScopes, ctx, err),
  );
}

/** After the dependencies: validate the route's own params, call the handler, close and respond. */
async function runAfterDependencies(
  rt: Runtime,
  plan: RoutePlan,
  ctx: RequestContext,
  params: RawSource,
  query: RawSource,
  inputs: RawInputs,
  errors: ErrorDetail[],
  values: unknown[],
): Promise<void> {
  let own = extractRoute(plan, ctx, params, query, inputs);
  if (own instanceof Promise) own = await own;
  if (own !== null) errors.push(...own);
  if (errors.length > 0) throw new RequestValidationError(errors, inputs.json);
  assignDependencies(plan, ctx, values);
  let value = plan.handler(ctx);
  if (value instanceof Promise) value = await value;
  if (ctx._exit !== null && ctx._exit.size > 0) await ctx._exit.close("function");
  const done = finish(rt, plan, ctx, value);
  if (done !== undefined) await done;
}

function assignDependencies(plan: RoutePlan, ctx: RequestContext, values: unknown[]): void {
  const target = ctx as unknown as Record<string, unknown>;
  for (const [name, slot] of plan.graph!.named) target[name] = values[slot];
}

/**
 * The tail of a dependency route once its dependencies resolved. Without generator cleanups it
 * reuses the synchronous handler path; with them it takes the awaiting one.
 */
function afterDependencies(
  rt: Runtime,
  plan: RoutePlan,
  ctx: RequestContext,
  params: RawSource,
  query: RawSource,
  inputs: RawInputs,
  errors: ErrorDetail[],
  values: unknown[],
): void | Promise<void> {
  if (ctx._exit !== null) {
    return runAfterDependencies(rt, plan, ctx, params, query, inputs, errors, values).catch((err) => fail(rt, plan.exceptionScopes, ctx, err));
  }
  let own: ErrorDetail[] | null | Promise<ErrorDetail[] | null>;
  try {
    own = extractRoute(plan, ctx, params, query, inputs);
  } catch (err) {
    return fail(rt, plan.exceptionScopes, ctx, err);
  }
  assignDependencies(plan, ctx, values);
  const merged = own instanceof Promise
    ? own.then((o) => (o === null ? (errors.length > 0 ? errors : null) : [...errors, ...o]))
    : own === null ? (errors.length > 0 ? errors : null) : [...errors, ...own];
  return validateAndRun(rt, plan, ctx, merged, inputs.json);
}

async function executeFull(rt: Runtime, plan: RoutePlan, ctx: RequestContext, params: RawSource, query: RawSource): Promise<void> {
  const inputs = await readInputs(plan, ctx, params, query);
  const errors: ErrorDetail[] = [];
  const values = await solveDependencies(plan.graph!, ctx, inputs, rt.appScope, errors);
  await runAfterDependencies(rt, plan, ctx, params, query, inputs, errors, values);
}

/** A route with dependencies and no body: no await unless a dependency or the handler needs one. */
function executeWithDependencies(rt: Runtime, plan: RoutePlan, ctx: RequestContext, params: RawSource, query: RawSource): void | Promise<void> {
  const inputs = new RequestInputs(params, query, ctx.req);
  const errors: ErrorDetail[] = [];
  let solved: unknown[] | Promise<unknown[]>;
  try {
    solved = solveDependencies(plan.graph!, ctx, inputs, rt.appScope, errors);
  } catch (err) {
    return fail(rt, plan.exceptionScopes, ctx, err);
  }
  if (solved instanceof Promise) {
    return solved.then(
      (values) => afterDependencies(rt, plan, ctx, params, query, inputs, errors, values),
      (err) => fail(rt, plan.exceptionScopes, ctx, err),
    );
  }
  return afterDependencies(rt, plan, ctx, params, query, inputs, errors, solved);
}

/**
 * Runs one request through a compiled route: extract and validate, resolve dependencies, call the
 * handler, validate and serialize its result. Routes without a body or dependencies run without a
 * single await when their handler is synchronous.
 */
export function executeRoute(rt: Runtime, plan: RoutePlan, ctx: RequestContext, params: RawSource, query: RawSource): void | Promise<void> {
  ctx.route = plan.template;
  if (plan.wildcard !== null) {
    params[plan.wildcard] = params["*"];
    delete params["*"];
  }
  ctx.path = params;
  if (!plan.simple) {
    if (plan.graph === null) return executeBodyRoute(rt, plan, ctx, params, query);
    if (plan.bodyKind === null) return executeWithDependencies(rt, plan, ctx, params, query);
    return executeFull(rt, plan, ctx, params, query).catch((err) => fail(rt, plan.exceptionScopes, ctx, err));
  }
  let errors: ErrorDetail[] | null | Promise<ErrorDetail[] | null>;
  try {
    errors = extractRoute(plan, ctx, params, query, null);
  } catch (err) {
    return fail(rt, plan.exceptionScopes, ctx, err);
  }
  return validateAndRun(rt, plan, ctx, errors, undefined);
}
