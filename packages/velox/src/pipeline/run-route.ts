import type { RequestContext } from "../context.ts";
import { solveDependencies } from "../di/solve.ts";
import { RequestValidationError, type ErrorDetail } from "../http-exception.ts";
import { extractInputs } from "../params/extract-inputs.ts";
import { hasNoBody, readBody, readBodyInto, type BodySink } from "../params/read-body.ts";
import { VeloxResponse } from "../responses/response.ts";
import type { RoutePlan } from "../route-plan.ts";
import { finish, respondError } from "./respond.ts";
import { runHooks } from "./run-hooks.ts";

type Errors = ErrorDetail[] | null;

/** Calls the handler, after the `preHandler` hooks when there are any (one returning a response answers instead). */
function invoke(plan: RoutePlan, ctx: RequestContext): unknown {
  const hooks = plan.hooks.preHandler;
  if (hooks === null) return plan.handler(ctx);
  const early = runHooks(hooks, ctx);
  if (early === undefined) return plan.handler(ctx);
  if (early instanceof VeloxResponse) return early;
  return early.then((r) => (r instanceof VeloxResponse ? r : plan.handler(ctx)));
}

/**
 * Given the route's validation result, calls the handler and responds: synchronously when
 * validation and the handler are, with one promise chain otherwise. Errors end in `respondError`.
 */
function validateAndRun(plan: RoutePlan, ctx: RequestContext, errors: Errors | Promise<Errors>): void | Promise<void> {
  try {
    if (errors !== null) {
      if (!(errors instanceof Promise)) throw new RequestValidationError(errors, ctx._rawBody);
      return errors
        .then((errs) => {
          if (errs !== null) throw new RequestValidationError(errs, ctx._rawBody);
          return invoke(plan, ctx);
        })
        .then((v) => finish(ctx, v))
        .catch((err) => respondError(ctx, err));
    }
    const value = invoke(plan, ctx);
    if (value instanceof Promise) return value.then((v) => finish(ctx, v)).catch((err) => respondError(ctx, err));
    const done = finish(ctx, value);
    if (done !== undefined) return done.catch((err) => respondError(ctx, err));
  } catch (err) {
    return respondError(ctx, err);
  }
}

/** Decodes a buffered body with the route's kind; true when it went well (else the error is being answered). */
function decode(plan: RoutePlan, ctx: RequestContext, bytes: Buffer | null): boolean {
  if (bytes === null) return true;
  plan.bodyKind!.decode!(bytes, ctx, plan.bodyOptions);
  return true;
}

/** The rest of a body route without dependencies, once the body is in: the body read is its only await. */
function afterBody(plan: RoutePlan, ctx: RequestContext, bytes: Buffer | null): void | Promise<void> {
  let errors: Errors | Promise<Errors>;
  try {
    decode(plan, ctx, bytes);
    errors = extractInputs(plan.graph.root, ctx, ctx);
  } catch (err) {
    return respondError(ctx, err);
  }
  return validateAndRun(plan, ctx, errors);
}

/**
 * A body route's continuation when nobody awaits the route (no middleware, no async context to
 * keep): the body stream's events call it directly, without a promise per request.
 */
class BodyRouteContinuation implements BodySink {
  constructor(
    private readonly plan: RoutePlan,
    private readonly ctx: RequestContext,
  ) {}

  bodyRead(bytes: Buffer): void {
    this.settle(afterBody(this.plan, this.ctx, bytes));
  }

  bodyFailed(error: Error): void {
    this.settle(respondError(this.ctx, error));
  }

  private settle(done: void | Promise<void>): void {
    if (done !== undefined) done.catch((err) => this.ctx._rt.lastResort(this.ctx, err));
  }
}

/** Reads and decodes the body with the route's kind (buffered or streaming). */
async function readInputs(plan: RoutePlan, ctx: RequestContext): Promise<void> {
  const kind = plan.bodyKind;
  if (kind === null || hasNoBody(ctx.req)) return;
  kind.checkContentType(ctx.req.headers["content-type"], ctx);
  const reading = kind.read === undefined ? null : kind.read(ctx, plan.bodyOptions);
  if (reading !== null) await reading;
  else decode(plan, ctx, await readBody(ctx.req, plan.bodyOptions.limit));
}

function executeBodyRoute(plan: RoutePlan, ctx: RequestContext): void | Promise<void> {
  const req = ctx.req;
  const kind = plan.bodyKind!;
  if (hasNoBody(req)) return afterBody(plan, ctx, null);
  try {
    kind.checkContentType(req.headers["content-type"], ctx);
  } catch (err) {
    return respondError(ctx, err);
  }
  let reading: Promise<void> | null;
  try {
    reading = kind.read === undefined ? null : kind.read(ctx, plan.bodyOptions);
  } catch (err) {
    return respondError(ctx, err);
  }
  if (reading !== null) return reading.then(() => afterBody(plan, ctx, null), (err) => respondError(ctx, err));
  if (!ctx._deferred && !ctx._rt.keepAsyncContext) {
    readBodyInto(req, plan.bodyOptions.limit, new BodyRouteContinuation(plan, ctx));
    return;
  }
  return readBody(req, plan.bodyOptions.limit).then(
    (bytes) => afterBody(plan, ctx, bytes),
    (err) => respondError(ctx, err),
  );
}

function assignDependencies(plan: RoutePlan, ctx: RequestContext, values: unknown[]): void {
  const target = ctx as unknown as Record<string, unknown>;
  for (const [name, slot] of plan.graph.named) target[name] = values[slot];
}

/** After the dependencies: validate the route's own inputs, call the handler, close function-scoped cleanups, respond. */
async function runAfterDependencies(plan: RoutePlan, ctx: RequestContext, errors: ErrorDetail[], values: unknown[]): Promise<void> {
  let own = extractInputs(plan.graph.root, ctx, ctx);
  if (own instanceof Promise) own = await own;
  if (own !== null) errors.push(...own);
  if (errors.length > 0) throw new RequestValidationError(errors, ctx._rawBody);
  assignDependencies(plan, ctx, values);
  let value = invoke(plan, ctx);
  if (value instanceof Promise) value = await value;
  if (ctx._exit !== null && ctx._exit.size > 0) await ctx._exit.close("function");
  const done = finish(ctx, value);
  if (done !== undefined) await done;
}

/**
 * The tail of a dependency route once its dependencies resolved. Without generator cleanups it
 * reuses the synchronous handler path; with them it takes the awaiting one.
 */
function afterDependencies(plan: RoutePlan, ctx: RequestContext, errors: ErrorDetail[], values: unknown[]): void | Promise<void> {
  if (ctx._exit !== null) return runAfterDependencies(plan, ctx, errors, values).catch((err) => respondError(ctx, err));
  let own: Errors | Promise<Errors>;
  try {
    own = extractInputs(plan.graph.root, ctx, ctx);
  } catch (err) {
    return respondError(ctx, err);
  }
  assignDependencies(plan, ctx, values);
  const merged = own instanceof Promise
    ? own.then((o) => (o === null ? (errors.length > 0 ? errors : null) : [...errors, ...o]))
    : own === null ? (errors.length > 0 ? errors : null) : [...errors, ...own];
  return validateAndRun(plan, ctx, merged);
}

async function executeFull(plan: RoutePlan, ctx: RequestContext): Promise<void> {
  await readInputs(plan, ctx);
  const errors: ErrorDetail[] = [];
  const values = await solveDependencies(plan.graph, ctx, ctx._rt.appScope, errors);
  await runAfterDependencies(plan, ctx, errors, values);
}

/** A route with dependencies and no body: no await unless a dependency or the handler needs one. */
function executeWithDependencies(plan: RoutePlan, ctx: RequestContext): void | Promise<void> {
  const errors: ErrorDetail[] = [];
  let solved: unknown[] | Promise<unknown[]>;
  try {
    solved = solveDependencies(plan.graph, ctx, ctx._rt.appScope, errors);
  } catch (err) {
    return respondError(ctx, err);
  }
  if (solved instanceof Promise) {
    return solved.then((values) => afterDependencies(plan, ctx, errors, values), (err) => respondError(ctx, err));
  }
  return afterDependencies(plan, ctx, errors, solved);
}

/**
 * Runs one matched request through its route's plan: read the body, resolve dependencies,
 * extract and validate, call the handler, validate and serialize its result. Routes without a
 * body or dependencies run without a single await when their handler is synchronous.
 *
 * @example
 * ```ts
 * ctx._plan = plan; // dispatch sets the plan and the raw path and query first
 * const done = runRoute(ctx);
 * ```
 */
export function runRoute(ctx: RequestContext): void | Promise<void> {
  const plan = ctx._plan!;
  if (!plan.simple) {
    if (plan.graph.nodes.length === 0) return executeBodyRoute(plan, ctx);
    if (plan.bodyKind === null) return executeWithDependencies(plan, ctx);
    return executeFull(plan, ctx).catch((err) => respondError(ctx, err));
  }
  let errors: Errors | Promise<Errors>;
  try {
    errors = extractInputs(plan.graph.root, ctx, ctx);
  } catch (err) {
    return respondError(ctx, err);
  }
  return validateAndRun(plan, ctx, errors);
}
