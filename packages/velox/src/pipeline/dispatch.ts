import FindMyWay from "find-my-way";
import { parse as parseQuery } from "fast-querystring";
import type { RequestContext } from "../context.ts";
import { errorResponse } from "../error-response.ts";
import { ProtocolError } from "../errors.ts";
import type { CompiledHooks } from "../hooks.ts";
import { HTTPException } from "../http-exception.ts";
import type { RawSource } from "../params/raw-inputs.ts";
import { RedirectResponse } from "../responses/simple.ts";
import { VeloxResponse } from "../responses/response.ts";
import type { RoutePlan } from "../route-plan.ts";
import { underPrefix } from "../mount.ts";
import { afterResponse } from "./after-response.ts";
import { observeResponse } from "./observe.ts";
import { reportError, respondError, respondWith, writeResponse } from "./respond.ts";
import { runHooks } from "./run-hooks.ts";
import { runRoute } from "./run-route.ts";

const TOO_MANY_PARAMS = Object.freeze(Object.create(null)) as RawSource;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

function countParams(query: string, max: number): boolean {
  let count = 1;
  for (let i = query.indexOf("&"); i !== -1; i = query.indexOf("&", i + 1)) if (++count > max) return true;
  return false;
}

/** A composed middleware onion around one destination. */
export type Chain = (ctx: RequestContext) => Promise<void>;

/** What the route table is built from. */
export interface RouteTableOptions {
  maxQueryParams: number;
  redirectSlashes: boolean;
  /** The app's `rootPath` ("" when none): a request under it is routed on the rest of its path. */
  rootPath?: string;
}

type Router = ReturnType<typeof FindMyWay>;

/**
 * The compiled route table and the request's way through it: routing (404, 405 with `Allow`,
 * trailing-slash redirects, automatic HEAD), then the hooks and middleware that apply, then the
 * route. Built once per compile; per request it only executes.
 *
 * @example
 * ```ts
 * const table = new RouteTable(plans, { maxQueryParams: 1000, redirectSlashes: true });
 * table.unmatchedChain = appMiddleware ? compose(appMiddleware, (ctx) => table.unmatched(ctx)) : null;
 * table.serve(ctx);
 * ```
 */
export class RouteTable {
  private readonly router: Router;
  /** App middleware around unmatched requests, or null. */
  unmatchedChain: Chain | null = null;

  constructor(plans: readonly RoutePlan[], private readonly options: RouteTableOptions) {
    const max = options.maxQueryParams;
    this.router = FindMyWay({
      ignoreTrailingSlash: false,
      caseSensitive: true,
      maxParamLength: 2048,
      querystringParser: (query: string) =>
        query.length > max && countParams(query, max) ? TOO_MANY_PARAMS : (parseQuery(query) as RawSource),
    });
    const explicitHead = new Set(plans.filter((p) => p.record.method === "HEAD").map((p) => p.record.template.pattern));
    for (const plan of plans) {
      const { method, template } = plan.record;
      this.router.on(method, template.pattern, () => {}, plan);
      if (method === "GET" && !explicitHead.has(template.pattern)) this.router.on("HEAD", template.pattern, () => {}, plan);
    }
  }

  /**
   * The URL routing sees: under `rootPath` (a proxy that does not strip its prefix, or a direct
   * call), the rest of it — as Starlette routes on `path` minus `root_path`.
   */
  routedUrl(url: string): string {
    const root = this.options.rootPath ?? "";
    if (root === "" || !underPrefix(url, root)) return url;
    const rest = url.slice(root.length);
    return rest === "" || rest.startsWith("?") ? `/${rest}` : rest;
  }

  /** Routes one request and runs it. */
  serve(ctx: RequestContext): void | Promise<void> {
    const req = ctx.req;
    const match = this.router.find(req.method as "GET", this.routedUrl(req.url ?? "/"));
    if (match === null) return this.serveUnmatched(ctx);
    const plan = match.store as RoutePlan;
    const params = match.params as RawSource;
    if (plan.wildcard !== null) {
      params[plan.wildcard] = params["*"];
      delete params["*"];
    }
    ctx._plan = plan;
    ctx.route = plan.template;
    ctx.path = params;
    ctx._rawPath = params;
    const query = match.searchParams as RawSource;
    if (query === TOO_MANY_PARAMS) return respondError(ctx, new ProtocolError(413, "Too many query parameters"), ctx._rt.appScopes);
    ctx._rawQuery = query;
    if (plan.direct) return runRoute(ctx);
    return enter(ctx, plan.hooks, plan.chain, runRoute);
  }

  private serveUnmatched(ctx: RequestContext): void | Promise<void> {
    const hooks = ctx._rt.appHooks;
    if (this.unmatchedChain === null && hooks.onRequest === null && hooks.onResponse === null && hooks.onSend === null) return this.unmatched(ctx);
    return enter(ctx, hooks, this.unmatchedChain, (c) => this.unmatched(c));
  }

  /**
   * The methods a path answers, for `Allow` and CORS preflights.
   *
   * @example
   * ```ts
   * table.methodsFor("/items/5"); // ["GET", "HEAD", "DELETE"]
   * ```
   */
  methodsFor(path: string): string[] {
    return METHODS.filter((m) => this.router.find(m, path) !== null);
  }

  /** 307 to the other form of a trailing slash, 405 with Allow, or 404 — through the app's handlers. */
  unmatched(ctx: RequestContext): void | Promise<void> {
    const router = this.router;
    const full = ctx.req.url ?? "/";
    const url = this.routedUrl(full);
    const root = full.slice(0, full.length - url.length);
    const method = (ctx.req.method ?? "GET") as "GET";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    if (this.options.redirectSlashes) {
      const other = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : `${path}/`;
      if (path.startsWith("/") && !path.startsWith("//") && router.find(method, other) !== null) {
        return respondWith(ctx, new RedirectResponse(root + other + (q === -1 ? "" : url.slice(q)), 307), false);
      }
    }
    const allowed = this.methodsFor(path).filter((m) => m !== method);
    const error = allowed.length > 0
      ? new HTTPException(405, "Method Not Allowed", { allow: allowed.join(", ") })
      : new HTTPException(404, "Not Found");
    return respondError(ctx, error, ctx._rt.appScopes);
  }
}

/**
 * The way in for a request with hooks or middleware: `onResponse` observation, `onRequest` hooks
 * (one may answer at once), then the middleware onion around `destination`, or `destination`.
 */
function enter(ctx: RequestContext, hooks: CompiledHooks, chain: Chain | null, destination: (ctx: RequestContext) => void | Promise<void>): void | Promise<void> {
  if (hooks.onResponse !== null) observeResponse(ctx);
  ctx._onSend = hooks.onSend;
  const onRequest = hooks.onRequest;
  if (onRequest !== null) {
    let early;
    try {
      early = runHooks(onRequest, ctx);
    } catch (err) {
      return respondError(ctx, err);
    }
    if (early instanceof VeloxResponse) return respondWith(ctx, early, true);
    if (early !== undefined) {
      return early.then(
        (r) => (r instanceof VeloxResponse ? respondWith(ctx, r, true) : proceed(ctx, chain, destination)),
        (err) => respondError(ctx, err),
      );
    }
  }
  return proceed(ctx, chain, destination);
}

function proceed(ctx: RequestContext, chain: Chain | null, destination: (ctx: RequestContext) => void | Promise<void>): void | Promise<void> {
  return chain === null ? destination(ctx) : runChain(ctx, chain);
}

/**
 * Runs the middleware onion: responses made inside are stored in `ctx.result` (middleware may
 * read or replace it after `await next()`), then written once the onion is done.
 */
function runChain(ctx: RequestContext, chain: Chain): Promise<void> {
  ctx._deferred = true;
  const rt = ctx._rt;
  return chain(ctx)
    .catch((err) => {
      reportError(ctx, err);
      // Errors escaping middleware are answered by the app's handlers (not a route's).
      return errorResponse(rt.appScopes, err, ctx, rt.errorFormat, rt.logger).then((r) => {
        ctx.result = r;
      });
    })
    .then(() => {
      ctx._deferred = false;
      afterResponse(ctx);
      if (ctx.res.headersSent) return;
      const response = ctx.result;
      if (response === null) return respondError(ctx, new Error("middleware finished without a response"));
      return Promise.resolve()
        .then(() => writeResponse(ctx, response))
        .catch((err) => {
          if (ctx.res.headersSent) throw err;
          return respondError(ctx, err);
        });
    });
}
