import type { IncomingMessage } from "node:http";
import { RequestContext } from "../context.ts";
import { solveDependencies } from "../di/solve.ts";
import { errorResponse } from "../error-response.ts";
import { RequestValidationError, type ErrorDetail } from "../http-exception.ts";
import { extractInputs } from "../params/extract-inputs.ts";
import type { RawSource } from "../params/raw-inputs.ts";
import type { VeloxResponse } from "../responses/response.ts";
import { runHooks } from "../pipeline/run-hooks.ts";
import type { Runtime } from "../pipeline/runtime.ts";
import type { HandshakeOutcome } from "./engine.ts";
import { inertResponse, ConnectionContext } from "./handler-context.ts";
import type { WebSocketPlan } from "./plan.ts";

/** The app as the handshake sees it. */
export interface HandshakeApp {
  readonly state: Record<string, any>;
  readonly runtime: Runtime;
}


function rejection(response: VeloxResponse): HandshakeOutcome<never> {
  const body = response.body === null ? undefined : typeof response.body === "string" ? response.body : response.body.toString("utf8");
  return { ok: false, status: response.status, headers: response.headers as Record<string, string | string[]>, ...(body === undefined ? {} : { body }) };
}

async function refuse(plan: WebSocketPlan, ctx: RequestContext, rt: Runtime, error: unknown): Promise<HandshakeOutcome<never>> {
  let current = error;
  if (ctx._exit !== null && ctx._exit.size > 0) current = await ctx._exit.abort(current);
  return rejection(await errorResponse(plan.exceptionScopes, current, ctx, rt.errorFormat, rt.logger));
}

function assign(plan: WebSocketPlan, ctx: ConnectionContext, values: unknown[]): void {
  const target = ctx as unknown as Record<string, unknown>;
  for (const [name, slot] of plan.graph.named) target[name] = values[slot];
}

/**
 * Runs a WebSocket route's handshake through the core's own machinery: one request context, the
 * app's and routers' `onRequest` hooks (one that answers refuses the upgrade with its response),
 * the dependencies solved by `solveDependencies` (security schemes included) and the route's own
 * parameters extracted by `extractInputs`, exactly as for an HTTP route. Any failure becomes the
 * HTTP answer the exception handlers make of it (422 with FastAPI's body, 401 with
 * `WWW-Authenticate`, ...), after the generator dependencies' cleanup has seen the error; success
 * hands the context to the handler, with the cleanup of its request-scoped dependencies for when
 * the connection ends.
 *
 * @example
 * ```ts
 * engine.upgrade(route, req, socket, head, (_, signal) => prepareHandshake(app, plan, req, params, query, signal));
 * ```
 */
export async function prepareHandshake(app: HandshakeApp, plan: WebSocketPlan, req: IncomingMessage, params: RawSource, query: RawSource, signal?: AbortSignal): Promise<HandshakeOutcome<ConnectionContext>> {
  const rt = app.runtime;
  const ctx = new RequestContext(req, inertResponse(), app, rt);
  // `ctx.signal` is the handshake's (the client left, or the deadline passed), never a listener
  // on the shared inert response.
  if (signal !== undefined) ctx._signal = signal;
  ctx.route = plan.record.template.template;
  if (plan.wildcard !== null) {
    params[plan.wildcard] = params["*"];
    delete params["*"];
  }
  ctx._rawPath = params;
  ctx._rawQuery = query;
  ctx.path = params;
  let values: unknown[];
  try {
    if (plan.onRequest !== null) {
      // The app's onRequest hooks see the upgrade request as they see any request; one that
      // answers refuses the handshake with its response.
      let early = runHooks(plan.onRequest, ctx);
      if (early instanceof Promise) early = await early;
      if (early !== undefined) return rejection(early);
    }
    const errors: ErrorDetail[] = [];
    values = await solveDependencies(plan.graph, ctx, rt.appScope, errors);
    let own = extractInputs(plan.graph.root, ctx, ctx);
    if (own instanceof Promise) own = await own;
    if (own !== null) errors.push(...own);
    if (errors.length > 0) throw new RequestValidationError(errors);
  } catch (err) {
    return refuse(plan, ctx, rt, err);
  }
  // The handler gets a light context; the request context (and the request) can go.
  const handlerCtx = new ConnectionContext(ctx);
  assign(plan, handlerCtx, values);
  const exit = ctx._exit;
  if (exit === null) return { ok: true, ctx: handlerCtx };
  const cleanup = async (error?: unknown) => {
    if (error !== undefined) await exit.abort(error);
    else await exit.close("all");
  };
  return { ok: true, ctx: handlerCtx, cleanup };
}
