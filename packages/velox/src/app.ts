import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from "node:http";
import FindMyWay from "find-my-way";
import { parse as parseQuery } from "fast-querystring";
import { BackgroundRunner } from "./background.ts";
import { compose, type Middleware } from "./compose.ts";
import { RequestContext } from "./context.ts";
import { AppScope } from "./di/app-scope.ts";
import { isDependency, type Dependency } from "./di/dependency.ts";
import { DependencyOverrides } from "./di/overrides.ts";
import { errorResponse, type ErrorFormat } from "./error-response.ts";
import { ProtocolError, VeloxError } from "./errors.ts";
import { HTTPException } from "./http-exception.ts";
import { consoleLogger, silentLogger, type Logger } from "./logger.ts";
import type { RawSource } from "./params/extract.ts";
import { mountDocs } from "./openapi/mount.ts";
import type { OpenAPIOptions } from "./openapi/options.ts";
import { afterResponse, executeRoute, fail, type Runtime } from "./pipeline.ts";
import { RedirectResponse } from "./responses/simple.ts";
import { requestScope } from "./request-scope.ts";
import { compileRoute, type RoutePlan } from "./route-plan.ts";
import { Router, type RouteRecord } from "./router.ts";
import { loadSchemaOptimizers } from "./schema/validator.ts";

/**
 * Startup and shutdown as one async generator: code before `yield` runs at startup, the yielded
 * object is merged into `app.state`, code after `yield` runs at shutdown.
 */
export type Lifespan = (app: Velox) => AsyncGenerator<Record<string, unknown> | void, void, unknown>;

/** Options of a {@link Velox} app. */
export interface VeloxOptions {
  title?: string;
  version?: string;
  description?: string;
  lifespan?: Lifespan;
  /** `fastapi` (default) error bodies, or RFC 9457 `problem` details. */
  errorFormat?: ErrorFormat;
  /** Largest request body in bytes (default 1 MiB); routes may override. */
  bodyLimit?: number;
  /** Where errors and events go; `false` silences them. Default: JSON lines on stderr. */
  logger?: Logger | false;
  /** Use the validation library's ahead-of-time compiler when it has one (default true). */
  compileSchemas?: boolean;
  /** Validate handler results against response models (default true; per route `validateResponse`). */
  validateResponses?: boolean;
  /** Redirect `/items/` to `/items` (and back) with 307 when only the other exists (default true). */
  redirectSlashes?: boolean;
  /** Header a request id is read from (default `x-request-id`); `false` always generates one. */
  requestIdHeader?: string | false;
  /** Enter the AsyncLocalStorage request scope for every request (see `currentRequest`). */
  requestScope?: boolean;
  /** Side-effect dependencies for every route. */
  dependencies?: readonly Dependency<any>[];
  /** Most query parameters accepted (413 beyond). Default 1000. */
  maxQueryParams?: number;
  /** OpenAPI document and docs settings (`/openapi.json`, `/docs`, `/redoc`; see `OpenAPIOptions`). */
  openapi?: OpenAPIOptions;
}

/** Options of {@link Velox.listen}: node server options plus where to listen. */
export interface ListenOptions extends ServerOptions {
  port?: number;
  host?: string;
}

const TOO_MANY_PARAMS = Object.freeze(Object.create(null)) as RawSource;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

function countParams(query: string, max: number): boolean {
  let count = 1;
  for (let i = query.indexOf("&"); i !== -1; i = query.indexOf("&", i + 1)) if (++count > max) return true;
  return false;
}

/**
 * A Velox application: routes, dependencies, middleware, lifespan and error handling, served by
 * node's HTTP server (`listen`) or any server that takes a `(req, res)` handler (`app.handler`).
 *
 * @example
 * ```ts
 * const app = new Velox({ title: "Shop" });
 * app.get("/items/{id}", { path: { id: z.int().min(1) } }, ({ path }) => ({ id: path.id }));
 * await app.listen({ port: 8000 });
 * ```
 */
export class Velox extends Router {
  readonly config: VeloxOptions;
  /** App-wide state: what the lifespan yields is merged in. */
  readonly state: Record<string, any> = {};
  /** Dependency replacements for tests. */
  readonly overrides: DependencyOverrides;
  readonly logger: Logger;
  /** @internal */ readonly appScope: AppScope;
  /** @internal */ readonly backgroundRunner: BackgroundRunner;
  private readonly middleware: Middleware[] = [];
  private readonly runtime: Runtime;
  private router: ReturnType<typeof FindMyWay> | null = null;
  private plans: RoutePlan[] = [];
  private stale = true;
  private composed: ((ctx: RequestContext) => Promise<void>) | null = null;
  private starting: Promise<void> | null = null;
  private lifespanIterator: AsyncGenerator<Record<string, unknown> | void, void, unknown> | null = null;
  private readonly requestIdHeader: string | null;
  private readonly servers = new Set<Server>();
  private closed = false;

  constructor(options: VeloxOptions = {}) {
    super({ dependencies: options.dependencies });
    this.config = options;
    this.logger = options.logger === false ? silentLogger : options.logger ?? consoleLogger();
    this.overrides = new DependencyOverrides(() => {
      this.stale = true;
    });
    this.appScope = new AppScope(this);
    this.backgroundRunner = new BackgroundRunner(() => this.logger);
    this.requestIdHeader = options.requestIdHeader === false ? null : (options.requestIdHeader ?? "x-request-id").toLowerCase();
    this.runtime = {
      appScope: this.appScope,
      background: this.backgroundRunner,
      logger: this.logger,
      errorFormat: options.errorFormat ?? "fastapi",
      keepAsyncContext: options.requestScope ?? false,
      lastResort: (ctx, err) => this.lastResort(ctx, err),
    };
    for (const d of options.dependencies ?? []) {
      if (!isDependency(d)) throw new VeloxError("VX_DEP_NOT_A_DEPENDENCY", "app dependencies must be made with depends()");
    }
  }

  /** Every registered route (after `include`), for documentation and tooling. */
  get routes(): readonly RouteRecord[] {
    return this.records;
  }

  /**
   * Adds middleware around every request (including 404s). Composed once; an app without
   * middleware pays nothing for the feature.
   *
   * @example
   * ```ts
   * app.use(async (ctx, next) => {
   *   const start = performance.now();
   *   await next();
   *   ctx.result?.setHeader("server-timing", `app;dur=${performance.now() - start}`);
   * });
   * ```
   */
  use(middleware: Middleware): this {
    if (typeof middleware !== "function") throw new VeloxError("VX_INVALID_OPTION", "app.use() takes a middleware function");
    this.middleware.push(middleware);
    this.stale = true;
    return this;
  }

  protected override add(record: RouteRecord): void {
    super.add(record);
    this.stale = true;
  }

  /** Compiles every route into its plan and builds the router. Runs again after changes. */
  private compile(): void {
    const settings = {
      bodyLimit: this.config.bodyLimit ?? 1024 * 1024,
      optimize: this.config.compileSchemas ?? true,
      validateResponses: this.config.validateResponses ?? true,
      overrides: this.overrides,
      appHandlers: this.exceptionHandlers,
    };
    const maxParams = this.config.maxQueryParams ?? 1000;
    const router = FindMyWay({
      ignoreTrailingSlash: false,
      caseSensitive: true,
      maxParamLength: 2048,
      querystringParser: (query: string) =>
        query.length > maxParams && countParams(query, maxParams) ? TOO_MANY_PARAMS : (parseQuery(query) as RawSource),
    });
    const plans: RoutePlan[] = [];
    const explicitHead = new Set(this.records.filter((r) => r.method === "HEAD").map((r) => r.template.pattern));
    for (const record of this.records) {
      const plan = compileRoute(record, settings);
      plans.push(plan);
      router.on(record.method, record.template.pattern, () => {}, plan);
      if (record.method === "GET" && !explicitHead.has(record.template.pattern)) router.on("HEAD", record.template.pattern, () => {}, plan);
    }
    this.plans = plans;
    this.router = router;
    this.composed = this.middleware.length > 0 ? compose(this.middleware, (ctx) => this.dispatch(ctx)) : null;
    this.stale = false;
  }

  /**
   * Compiles the routes, runs the lifespan's startup and creates app-scoped dependencies. Called
   * by `listen` and by the test client; idempotent.
   */
  ready(): Promise<void> {
    this.starting ??= (async () => {
      if (this.config.compileSchemas ?? true) await loadSchemaOptimizers();
      mountDocs(this);
      this.compile();
      if (this.config.lifespan) {
        this.lifespanIterator = this.config.lifespan(this);
        const first = await this.lifespanIterator.next();
        if (first.value) Object.assign(this.state, first.value);
      }
    })();
    return this.starting;
  }

  /** Compiled route plans (after `ready`). @internal */
  get compiledPlans(): readonly RoutePlan[] {
    if (this.stale) this.compile();
    return this.plans;
  }

  /**
   * The `(req, res)` function for node's `http.createServer` (or `velox/server`). Before `ready()`
   * completes, requests wait for it.
   */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (this.stale) {
      if (this.starting === null) {
        void this.ready().then(() => this.handler(req, res), (err) => this.startFailed(res, err));
        return;
      }
      this.compile();
    }
    const ctx = new RequestContext(req, res, this, this.requestIdHeader);
    const done = this.config.requestScope ? requestScope.run(ctx, () => this.serve(ctx)) : this.serve(ctx);
    if (done !== undefined) done.catch((err) => this.lastResort(ctx, err));
  };

  private serve(ctx: RequestContext): void | Promise<void> {
    if (this.composed === null) return this.dispatch(ctx);
    ctx._deferred = true;
    return this.composed(ctx)
      .catch((err) => errorResponse([this.exceptionHandlers], err, ctx, this.runtime.errorFormat, this.logger).then((r) => {
        ctx.result = r;
      }))
      .then(() => {
        ctx._deferred = false;
        afterResponse(this.runtime, ctx);
        if (ctx.res.headersSent) return;
        const response = ctx.result;
        if (response === null) return fail(this.runtime, [this.exceptionHandlers], ctx, new Error("middleware finished without a response"));
        return Promise.resolve()
          .then(() => response.write(ctx.res, null))
          .catch((err) => {
            if (ctx.res.headersSent) throw err;
            return fail(this.runtime, [this.exceptionHandlers], ctx, err);
          });
      });
  }

  private dispatch(ctx: RequestContext): void | Promise<void> {
    const req = ctx.req;
    const match = this.router!.find(req.method as "GET", req.url ?? "/");
    if (match === null) return this.unmatched(ctx);
    if (match.searchParams === TOO_MANY_PARAMS) {
      return fail(this.runtime, [this.exceptionHandlers], ctx, new ProtocolError(413, "Too many query parameters"));
    }
    return executeRoute(this.runtime, match.store as RoutePlan, ctx, match.params as RawSource, match.searchParams as RawSource);
  }

  /** 307 to the other form of a trailing slash, 405 with Allow, or 404 — through the app's handlers. */
  private unmatched(ctx: RequestContext): Promise<void> {
    const router = this.router!;
    const url = ctx.req.url ?? "/";
    const method = (ctx.req.method ?? "GET") as "GET";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    if (this.config.redirectSlashes ?? true) {
      const other = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : `${path}/`;
      if (path.startsWith("/") && !path.startsWith("//") && router.find(method, other) !== null) {
        const response = new RedirectResponse(other + (q === -1 ? "" : url.slice(q)), 307);
        ctx.result = response;
        if (ctx._deferred) return Promise.resolve();
        afterResponse(this.runtime, ctx);
        return Promise.resolve(response.write(ctx.res, null));
      }
    }
    const allowed = METHODS.filter((m) => m !== method && router.find(m, path) !== null);
    const error = allowed.length > 0
      ? new HTTPException(405, "Method Not Allowed", { allow: allowed.join(", ") })
      : new HTTPException(404, "Not Found");
    return fail(this.runtime, [this.exceptionHandlers], ctx, error);
  }

  private lastResort(ctx: RequestContext, err: unknown): void {
    this.logger.error({ err, requestId: ctx.requestId }, "failed to send a response");
    if (!ctx.res.headersSent) {
      ctx.res.writeHead(500, { "content-type": "application/json", "x-request-id": ctx.requestId });
      ctx.res.end('{"detail":"Internal Server Error"}');
    } else if (!ctx.res.writableEnded) ctx.res.destroy();
  }

  private startFailed(res: ServerResponse, err: unknown): void {
    this.logger.error({ err }, "app failed to start");
    if (!res.headersSent) {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "5" });
      res.end('{"detail":"Service Unavailable"}');
    }
  }

  /**
   * Starts node's HTTP server for this app (after `ready()`); resolves once it listens.
   * For workers, graceful shutdown and limits use `serve()` from `velox/server`.
   *
   * @example
   * ```ts
   * const server = await app.listen({ port: 8000, host: "127.0.0.1" });
   * console.log(server.address());
   * ```
   */
  async listen(options: ListenOptions = {}): Promise<Server> {
    const { port = 8000, host = "127.0.0.1", ...serverOptions } = options;
    await this.ready();
    const server = createServer(serverOptions, this.handler);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.servers.add(server);
    server.once("close", () => this.servers.delete(server));
    return server;
  }

  /**
   * Shuts down: closes servers started by `listen`, waits for background tasks (up to
   * `timeoutMs`), runs the lifespan's cleanup and disposes app-scoped dependencies.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.servers].map((s) => new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeIdleConnections?.();
    })));
    const drained = await this.backgroundRunner.drain(options.timeoutMs ?? 10_000);
    if (!drained) this.logger.warn({ pending: this.backgroundRunner.size }, "background tasks still running at shutdown");
    if (this.lifespanIterator) {
      try {
        await this.lifespanIterator.next();
      } catch (err) {
        this.logger.error({ err }, "lifespan cleanup failed");
      }
    }
    for (const err of await this.appScope.dispose()) this.logger.error({ err }, "app-scoped dependency cleanup failed");
  }
}
