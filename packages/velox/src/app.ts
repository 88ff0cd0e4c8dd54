import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { BackgroundRunner } from "./background.ts";
import { compose, type Middleware } from "./compose.ts";
import { RequestContext } from "./context.ts";
import { AppScope } from "./di/app-scope.ts";
import { isDependency } from "./di/dependency.ts";
import { DependencyOverrides } from "./di/overrides.ts";
import { VeloxError } from "./errors.ts";
import { compileHooks, LIFECYCLE_HOOKS, type LifecycleHookName, type LifecycleHooks, type RequestHookName, type RequestHooks } from "./hooks.ts";
import type { ListenOptions, Plugin, VeloxOptions } from "./app-options.ts";
import { consoleLogger, silentLogger, type Logger } from "./logger.ts";
import { createClientErrorHandler } from "./server/client-error.ts";
import { checkMountPrefix, matchMount, type Mount, type MountTarget } from "./mount.ts";
import { mountDocs } from "./openapi/mount.ts";
import type { OpenAPIOptions } from "./openapi/options.ts";
import { buildPath, type PathValues } from "./params/url-path.ts";
import { RouteTable } from "./pipeline/dispatch.ts";
import { answerLastResort, answerStartFailed } from "./pipeline/last-resort.ts";
import type { Runtime } from "./pipeline/runtime.ts";
import { requestScope } from "./request-scope.ts";
import { routesByName } from "./route-names.ts";
import { compileRoute, type RoutePlan } from "./route-plan.ts";
import { Router, type ExceptionHandler, type RouteRecord } from "./router.ts";
import type { HTTPMethod, RouteConfig } from "./route-types.ts";
import { loadSchemaOptimizers } from "./schema/validator.ts";
import { rejectUpgrade, upgradeRefusal, type FetchUpgrade, type FetchUpgradeEntry, type UpgradeHandler } from "./upgrade.ts";
import { compileWebSocketPlan, type WebSocketPlan } from "./websocket/plan.ts";

export type { Lifespan, ListenOptions, Plugin, VeloxOptions } from "./app-options.ts";

type LifecycleLists = { [K in LifecycleHookName]: LifecycleHooks<Velox>[K][] };

/**
 * A Velox application: routes, dependencies, hooks, middleware, lifespan and error handling,
 * served by node's HTTP server (`listen`), by `serve()` from `velox/server`, or by any server that
 * takes a `(req, res)` handler (`app.handler`).
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
  private readonly appMiddleware: Middleware[] = [];
  private readonly lifecycle: LifecycleLists = { onReady: [], preClose: [], onClose: [] };
  /** @internal What every request's context reaches (the WebSocket handshake builds its context from it too). */
  readonly runtime: Runtime;
  private readonly shutdown = new AbortController();
  /** The table requests are served from; null until the app has started. */
  private table: RouteTable | null = null;
  private compiledTable: RouteTable | null = null;
  private plans: RoutePlan[] = [];
  /** @internal WebSocket routes' handshake plans, rebuilt with the HTTP plans (overrides included). */
  wsPlans: WebSocketPlan[] = [];
  private stale = true;
  private frozen = false;
  /** Apps and handlers under a path prefix (`mount`), longest prefix first; null when none. */
  private mounts: Mount[] | null = null;
  private routeNames: Map<string, RouteRecord> | null = null;
  private starting: Promise<void> | null = null;
  private lifespanIterator: AsyncGenerator<Record<string, unknown> | void, void, unknown> | null = null;
  private upgradeHandler: UpgradeHandler | null = null;
  private fetchUpgradeEntry: FetchUpgradeEntry | null = null;
  private readonly servers = new Set<Server>();
  private closing: Promise<void> | null = null;
  private preClosing: Promise<void> | null = null;

  constructor(options: VeloxOptions = {}) {
    super({ dependencies: options.dependencies });
    this.config = options;
    this.logger = options.logger === false ? silentLogger : options.logger ?? consoleLogger();
    this.overrides = new DependencyOverrides(() => {
      // Overrides change what runs, so the plans are rebuilt now, never inside a request.
      if (this.table !== null) this.compile();
      else this.stale = true;
    });
    this.appScope = new AppScope(this);
    this.backgroundRunner = new BackgroundRunner(() => this.logger);
    this.runtime = {
      appScope: this.appScope,
      background: this.backgroundRunner,
      logger: this.logger,
      errorFormat: options.errorFormat ?? "fastapi",
      keepAsyncContext: options.requestScope ?? false,
      requestIdHeader: options.requestIdHeader === false ? null : (options.requestIdHeader ?? "x-request-id").toLowerCase(),
      appHooks: compileHooks([]),
      appScopes: [this.exceptionHandlers],
      lastResort: (ctx, err) => answerLastResort(ctx, this.logger, err),
    };
    for (const d of options.dependencies ?? []) {
      if (!isDependency(d)) throw new VeloxError("VX_DEP_NOT_A_DEPENDENCY", "app dependencies must be made with depends()");
    }
  }

  /** Every registered route (after `include`), for documentation and tooling. */
  get routes(): readonly RouteRecord[] {
    return this.records;
  }

  /** Aborted when the app begins to shut down: long-lived handlers (streams, sockets) end on it. */
  get shutdownSignal(): AbortSignal {
    return this.shutdown.signal;
  }

  private assertOpen(what: string): void {
    if (this.frozen) throw new VeloxError("VX_APP_STARTED", `${what} after the app started; register everything before ready(), listen() or the first request`);
  }

  /**
   * Adds middleware around every request, matched or not (after routing, so `ctx.route` is
   * known). Composed once; an app without middleware pays nothing for the feature. Prefer hooks
   * where a step before or after the handler is enough: they keep requests on the fast path.
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
  override use(middleware: Middleware): this {
    if (typeof middleware !== "function") throw new VeloxError("VX_INVALID_OPTION", "app.use() takes a middleware function");
    this.assertOpen("app.use()");
    this.appMiddleware.push(middleware);
    this.stale = true;
    return this;
  }

  /**
   * Adds a request hook for every request (`onRequest`, `preHandler`, `onSend`, `onResponse`,
   * `onError` — these also run for unmatched requests), or a lifecycle hook: `onReady` after
   * startup, `preClose` when shutdown begins (close long-lived connections), `onClose` after the
   * drain (release resources; run in reverse order).
   *
   * @example
   * ```ts
   * app.addHook("onResponse", (ctx, info) => histogram.observe({ route: info.route ?? "unmatched" }, info.durationMs / 1000));
   * app.addHook("onClose", async () => { await redis.quit(); });
   * ```
   */
  override addHook<K extends RequestHookName>(name: K, hook: RequestHooks[K]): this;
  override addHook<K extends LifecycleHookName>(name: K, hook: LifecycleHooks<Velox>[K]): this;
  override addHook(name: string, hook: unknown): this {
    this.assertOpen(`addHook("${name}")`);
    if ((LIFECYCLE_HOOKS as readonly string[]).includes(name)) {
      if (typeof hook !== "function") throw new VeloxError("VX_INVALID_OPTION", `the ${name} hook must be a function`);
      (this.lifecycle[name as LifecycleHookName] as unknown[]).push(hook);
      return this;
    }
    super.addHook(name as RequestHookName, hook as RequestHooks[RequestHookName]);
    this.stale = true;
    return this;
  }

  /**
   * Applies a plugin (a function that adds routes, hooks or middleware) now.
   *
   * @example
   * ```ts
   * app.register(accessLog({ slowMs: 500 })).register(metrics());
   * ```
   */
  register(plugin: Plugin): this {
    if (typeof plugin !== "function") throw new VeloxError("VX_INVALID_OPTION", "app.register() takes a plugin function");
    this.assertOpen("app.register()");
    plugin(this);
    return this;
  }

  override exceptionHandler<E>(key: (abstract new (...args: any[]) => E) | number, handler: ExceptionHandler<E>): this {
    this.assertOpen("exceptionHandler()");
    return super.exceptionHandler(key, handler);
  }

  protected override add(record: RouteRecord): void {
    this.assertOpen(`${record.method} ${record.template.template} registered`);
    super.add(record);
    this.stale = true;
  }

  /** @internal The HTTP methods served at `path` (the WebSocket engine answers an upgrade to them 405). */
  httpMethodsFor(path: string): string[] {
    return this.table?.methodsFor(path) ?? [];
  }

  /** @internal A route without the app's `dependencies` (the docs routes: a global auth dependency must not lock them). */
  addInternalRoute(method: HTTPMethod, path: string, config: RouteConfig, handler: (ctx: any) => unknown): void {
    this.addRoutes(method, path, config, handler, []);
  }

  /**
   * Serves another app under a path prefix, as Starlette's `app.mount`: a second Velox app (it
   * keeps its own routes, hooks, error handlers and docs — at `/prefix/docs`, its document's
   * server being the prefix) or any node `(req, res)` handler (Express, a static server). The
   * mounted app sees the URL without the prefix (`/v2/items` → `/items`). A Velox app is started
   * and closed with this one. `name` lets `urlFor("name:route")` reach its routes.
   *
   * @example
   * ```ts
   * const v2 = new Velox({ title: "API v2" });
   * v2.get("/items", {}, () => []);
   * app.mount("/v2", v2, { name: "v2" });            // /v2/items, /v2/docs
   * app.mount("/legacy", expressApp);                // any (req, res) handler
   * ```
   */
  mount(prefix: string, target: MountTarget, options: { name?: string } = {}): this {
    this.assertOpen("app.mount()");
    checkMountPrefix(prefix);
    const serve = typeof target === "function" ? target : typeof target?.handler === "function" ? target.handler : null;
    if (serve === null) throw new VeloxError("VX_INVALID_MOUNT", `app.mount("${prefix}"): mount a Velox app or a (req, res) handler`);
    if (target === this) throw new VeloxError("VX_INVALID_MOUNT", `app.mount("${prefix}"): an app cannot mount itself`);
    const mounts = (this.mounts ??= []);
    if (mounts.some((m) => m.prefix === prefix)) throw new VeloxError("VX_INVALID_MOUNT", `app.mount(): "${prefix}" is already mounted`);
    if (target instanceof Velox) {
      // The mounted app's docs and document live under the prefix (behind this app's own root).
      const openapi = target.config.openapi ?? {};
      if (openapi.rootPath === undefined) {
        (target.config as { openapi?: OpenAPIOptions }).openapi = { ...openapi, rootPath: `${this.config.openapi?.rootPath ?? ""}${prefix}` };
      }
      this.addHook("onReady", () => target.ready());
      this.addHook("onClose", () => target.close());
    }
    mounts.push({ prefix, name: options.name, serve, app: target });
    mounts.sort((a, b) => b.prefix.length - a.prefix.length);
    return this;
  }

  /**
   * The path of a named route with its parameters filled in and encoded, under the app's
   * `rootPath` — Starlette's `url_path_for`. A route's name is its `name` option, else its
   * handler function's name; `"mount:route"` reaches a route of an app mounted with that name.
   * An unknown name, or missing or extra parameters, throw (a link to nowhere is a bug).
   *
   * @example
   * ```ts
   * app.get("/items/{item_id}", { name: "read_item", path: { item_id: z.int() } }, readItem);
   * app.urlFor("read_item", { item_id: 5 }); // "/items/5"
   * ```
   */
  urlFor(name: string, params: PathValues = {}): string {
    const colon = name.indexOf(":");
    if (colon !== -1 && this.mounts !== null) {
      const mount = this.mounts.find((m) => m.name === name.slice(0, colon));
      if (mount !== undefined && mount.app instanceof Velox) {
        const inner = mount.app.urlFor(name.slice(colon + 1), params);
        const innerRoot = mount.app.config.openapi?.rootPath ?? "";
        return `${this.config.openapi?.rootPath ?? ""}${mount.prefix}${inner.slice(innerRoot.length)}`;
      }
    }
    const record = this.namedRoutes().get(name);
    if (record === undefined) throw new VeloxError("VX_UNKNOWN_ROUTE_NAME", `urlFor(): no route is named "${name}"`);
    return `${this.config.openapi?.rootPath ?? ""}${buildPath(record.template, params, name)}`;
  }

  /** Routes by name; an explicit `name` used twice is an error, a handler name shared by two routes is ambiguous and left out. */
  private namedRoutes(): Map<string, RouteRecord> {
    if (this.routeNames !== null && this.frozen) return this.routeNames;
    const names = routesByName(this.records);
    this.routeNames = names;
    return names;
  }

  /** Compiles every route into its plan and builds the route table. */
  private compile(): void {
    const settings = {
      bodyLimit: this.config.bodyLimit ?? 1024 * 1024,
      optimize: this.config.compileSchemas ?? true,
      validateResponses: this.config.validateResponses ?? true,
      overrides: this.overrides,
      appHandlers: this.exceptionHandlers,
      appMiddleware: this.appMiddleware,
      compat: this.config.compat ?? "strict",
    };
    const plans = this.records.map((record) => compileRoute(record, settings));
    this.wsPlans = this.wsRecords.map((record) => compileWebSocketPlan(record, settings));
    const table = new RouteTable(plans, {
      maxQueryParams: this.config.maxQueryParams ?? 1000,
      redirectSlashes: this.config.redirectSlashes ?? true,
      rootPath: this.config.openapi?.rootPath ?? "",
    });
    table.unmatchedChain = this.appMiddleware.length > 0 ? compose(this.appMiddleware, (ctx) => table.unmatched(ctx)) : null;
    this.runtime.appHooks = compileHooks([this.hooks]);
    this.plans = plans;
    this.compiledTable = table;
    this.routeNames = null;
    this.namedRoutes();
    if (this.frozen) this.table = table;
    this.stale = false;
  }

  /**
   * Compiles the routes, runs the lifespan's startup and the `onReady` hooks. From then on the
   * app takes no new routes, hooks or middleware. Called by `listen`, `serve` and the test
   * client; idempotent.
   *
   * @example
   * ```ts
   * await app.ready();
   * ```
   */
  ready(): Promise<void> {
    this.starting ??= (async () => {
      if (this.config.compileSchemas ?? true) await loadSchemaOptimizers();
      // The engine (and `ws`) is loaded only by apps that have WebSocket routes.
      if (this.wsRecords.length > 0 && this.upgradeHandler === null) (await import("./websocket/mount.ts")).mountWebSockets(this);
      mountDocs(this);
      if (this.stale || this.compiledTable === null) this.compile();
      this.frozen = true;
      this.table = this.compiledTable;
      if (this.config.lifespan) {
        this.lifespanIterator = this.config.lifespan(this);
        const first = await this.lifespanIterator.next();
        if (first.value) Object.assign(this.state, first.value);
      }
      for (const hook of this.lifecycle.onReady) await hook(this);
    })();
    return this.starting;
  }

  /** Compiled route plans (compiled on first use before the app starts). @internal */
  get compiledPlans(): readonly RoutePlan[] {
    if (this.stale) this.compile();
    return this.plans;
  }

  /**
   * The `(req, res)` function for node's `http.createServer` (or `velox/server`). Before `ready()`
   * completes, requests wait for it.
   */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    const table = this.table;
    if (table === null) {
      void this.ready().then(() => this.handler(req, res), (err) => answerStartFailed(res, this.logger, err));
      return;
    }
    if (this.mounts !== null) {
      const mounted = matchMount(this.mounts, table.routedUrl(req.url ?? "/"));
      if (mounted !== null) {
        req.url = mounted.url;
        mounted.mount.serve(req, res);
        return;
      }
    }
    const ctx = new RequestContext(req, res, this, this.runtime);
    const done = this.config.requestScope ? requestScope.run(ctx, () => table.serve(ctx)) : table.serve(ctx);
    if (done !== undefined) done.catch((err) => answerLastResort(ctx, this.logger, err));
  };

  /**
   * Installs the engine for HTTP Upgrade requests (WebSockets): `velox/server` and `listen` hand
   * every upgrade to `app.upgrade`, which calls it. Without one, upgrades are refused.
   *
   * @example
   * ```ts
   * app.setUpgradeHandler((req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req)));
   * ```
   */
  setUpgradeHandler(handler: UpgradeHandler, onFetchRuntime?: FetchUpgradeEntry): this {
    if (typeof handler !== "function") throw new VeloxError("VX_INVALID_OPTION", "setUpgradeHandler() takes a function");
    this.assertOpen("setUpgradeHandler()");
    this.upgradeHandler = handler;
    this.fetchUpgradeEntry = onFetchRuntime ?? null;
    return this;
  }

  /** @internal The socket limits of the engine taking upgrades on Bun (null: none; the Bun server then never looks for one). */
  get fetchUpgradeLimits(): FetchUpgradeEntry["socketLimits"] | null {
    return this.fetchUpgradeEntry?.socketLimits ?? null;
  }

  /**
   * The entry for upgrade requests on Bun (`Bun.serve`): to the engine's Bun side, or the same
   * refusals as {@link upgrade} as an HTTP response.
   */
  readonly fetchUpgrade = (upgrade: FetchUpgrade): Response | undefined | Promise<Response | undefined> => {
    if (this.shutdown.signal.aborted) return upgradeRefusal(503);
    if (this.fetchUpgradeEntry !== null) return this.fetchUpgradeEntry.handle(upgrade);
    const url = upgrade.req.url ?? "/";
    const q = url.indexOf("?");
    return upgradeRefusal(this.table !== null && this.table.methodsFor(q === -1 ? url : url.slice(0, q)).length > 0 ? 426 : 404);
  };

  /**
   * The entry for HTTP Upgrade requests (node's `upgrade` event): to the installed engine, or a
   * refusal (426 for a path that has routes, 404 otherwise) and the socket closed.
   */
  readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (this.table === null) {
      void this.ready().then(() => this.upgrade(req, socket, head), () => rejectUpgrade(socket, 503));
      return;
    }
    if (this.upgradeHandler !== null && !this.shutdown.signal.aborted) {
      this.upgradeHandler(req, socket, head);
      return;
    }
    if (this.shutdown.signal.aborted) return rejectUpgrade(socket, 503);
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    rejectUpgrade(socket, this.table.methodsFor(q === -1 ? url : url.slice(0, q)).length > 0 ? 426 : 404);
  };

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
    server.on("upgrade", this.upgrade);
    // The same answers as `serve()` for what node's parser rejects: JSON bodies, owed responses first.
    server.on("clientError", createClientErrorHandler(this.logger));
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
   * Begins shutdown: aborts `shutdownSignal` and runs the `preClose` hooks (which close WebSockets
   * and end streams). `velox/server` calls it when its drain starts; `close()` calls it first.
   * Idempotent.
   */
  preClose(): Promise<void> {
    this.preClosing ??= (async () => {
      this.shutdown.abort();
      for (const hook of this.lifecycle.preClose) {
        try {
          await hook(this);
        } catch (err) {
          this.logger.error({ err }, "preClose hook failed");
        }
      }
    })();
    return this.preClosing;
  }

  /**
   * Shuts down: begins shutdown (`preClose`), closes servers started by `listen`, waits for
   * background tasks (up to `timeoutMs`), runs the `onClose` hooks (in reverse order), the
   * lifespan's cleanup, and disposes app-scoped dependencies.
   */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.closing ??= this.closeNow(options.timeoutMs ?? 10_000);
    return this.closing;
  }

  private async closeNow(timeoutMs: number): Promise<void> {
    await this.preClose();
    await Promise.all([...this.servers].map((s) => new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeIdleConnections?.();
    })));
    const drained = await this.backgroundRunner.drain(timeoutMs);
    if (!drained) this.logger.warn({ pending: this.backgroundRunner.size }, "background tasks still running at shutdown");
    for (const hook of [...this.lifecycle.onClose].reverse()) {
      try {
        await hook(this);
      } catch (err) {
        this.logger.error({ err }, "onClose hook failed");
      }
    }
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
