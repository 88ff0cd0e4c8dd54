import type { Middleware } from "./compose.ts";
import type { RequestContext } from "./context.ts";
import { isDependency, type Dependency } from "./di/dependency.ts";
import { VeloxError } from "./errors.ts";
import { addRequestHook, emptyHooks, routeHookLists, type HookLists, type RequestHookName, type RequestHooks } from "./hooks.ts";
import { parsePathTemplate, type PathTemplate } from "./params/path-template.ts";
import type { VeloxResponse } from "./responses/response.ts";
import type { HTTPMethod, RouteConfig, RouteMethod, ResponseSpec } from "./route-types.ts";
import type { AnySchema } from "./schema/types.ts";
import type { WebSocketRouteConfig, WebSocketRouteMethod, WebSocketRouteRecord } from "./websocket/route-types.ts";

/** Handles an error raised while serving a request; returns the response to send. */
export type ExceptionHandler<E = any> = (error: E, ctx: RequestContext) => VeloxResponse | Promise<VeloxResponse>;

/** What an exception handler is keyed by: an error class (matched along the prototype chain) or a status. */
export type ExceptionKey = (abstract new (...args: any[]) => unknown) | number;

/** A route as registered, with everything inherited from the routers it was included through. */
export interface RouteRecord {
  method: HTTPMethod;
  template: PathTemplate;
  config: RouteConfig;
  handler: (ctx: any) => unknown;
  tags: string[];
  /** Side-effect dependencies from enclosing routers (outermost first), then the route's own. */
  dependencies: Dependency<any>[];
  /** Exception handler maps from the innermost router outwards (the app's is added at compile time). */
  handlerScopes: Map<ExceptionKey, ExceptionHandler>[];
  /** Responses documented by enclosing routers. */
  responses: Record<number, AnySchema | ResponseSpec>;
  /** Set for routes added by `include` of a router that is not in the OpenAPI schema. */
  includeInSchema: boolean;
  /** Hook lists of the app and enclosing routers (outermost first), then the route's own. */
  hookScopes: HookLists[];
  /** Router-scoped middleware of enclosing routers (outermost first). */
  middlewareScopes: Middleware[][];
}

/** Options of a {@link Router}. */
export interface RouterOptions {
  /** Prepended to every route path (`/users`). */
  prefix?: string;
  /** Tags added to every route (OpenAPI grouping). */
  tags?: readonly string[];
  /** Side-effect dependencies run for every route of this router. */
  dependencies?: readonly Dependency<any>[];
  /** Responses documented on every route. */
  responses?: Record<number, AnySchema | ResponseSpec>;
  includeInSchema?: boolean;
}

const KNOWN_OPTIONS = new Set<string>([
  "path", "query", "headers", "cookies", "body", "form", "deps", "dependencies", "response", "status", "responses",
  "validateResponse", "bodyLimit", "tags", "summary", "description", "operationId", "deprecated", "includeInSchema",
  "responseDescription", "openapiExtra", "name", "hooks", "bodyKind", "compat", "multipart",
  "responseExcludeUnset", "responseExcludeNone", "responseExcludeDefaults", "responseInclude", "responseExclude",
]);

const WS_OPTIONS = new Set<string>([
  "path", "query", "headers", "cookies", "deps", "dependencies", "message", "send", "onInvalidMessage", "subprotocols",
  "limits", "tags", "summary", "description", "deprecated", "includeInSchema", "name",
]);

/** FastAPI's rule: the prefix is prepended as is, so `@get("/")` under `/items` serves `/items/`. */
function joinPath(prefix: string, path: string): string {
  return prefix ? prefix + path : path;
}

function checkPrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === "") return "";
  if (!prefix.startsWith("/") || prefix.endsWith("/")) {
    throw new VeloxError("VX_INVALID_PATH", `A router prefix must start with "/" and not end with "/", got ${JSON.stringify(prefix)}`);
  }
  return prefix;
}

/** The key two routes collide on: same method and the same pattern whatever the parameter names. */
const collisionKey = (method: string, pattern: string) => `${method} ${pattern.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, ":")}`;

/**
 * A group of routes with a shared prefix, tags, dependencies and exception handlers, included
 * into an app (or another router) with `include`.
 *
 * @example
 * ```ts
 * const users = new Router({ prefix: "/users", tags: ["users"] });
 * users.get("/{id}", { path: { id: z.int() } }, ({ path }) => findUser(path.id));
 * app.include(users);
 * ```
 */
export class Router {
  readonly prefix: string;
  readonly tags: readonly string[];
  readonly dependencies: readonly Dependency<any>[];
  readonly responses: Record<number, AnySchema | ResponseSpec>;
  readonly includeInSchema: boolean;
  /** @internal */ readonly records: RouteRecord[] = [];
  /** @internal WebSocket routes (`ws()`), served by the `velox/websocket` engine. */ readonly wsRecords: WebSocketRouteRecord[] = [];
  /** @internal */ readonly exceptionHandlers = new Map<ExceptionKey, ExceptionHandler>();
  /** @internal Request hooks of this router. */ readonly hooks: HookLists = emptyHooks();
  /** @internal Middleware around this router's routes. */ readonly routerMiddleware: Middleware[] = [];
  private readonly keys = new Map<string, string>();

  declare get: RouteMethod<this>;
  declare post: RouteMethod<this>;
  declare put: RouteMethod<this>;
  declare patch: RouteMethod<this>;
  declare delete: RouteMethod<this>;
  declare head: RouteMethod<this>;
  declare options: RouteMethod<this>;
  /**
   * Registers a WebSocket route: its path, query, header and cookie parameters and dependencies
   * (security schemes included) are validated and resolved before the upgrade — a failure is
   * answered over HTTP (401, 403, 422...) and never upgrades — then `handler(socket, ctx)` runs for
   * the connection. Dependencies live as long as the connection. A plain GET to the path gets 426.
   *
   * @example
   * ```ts
   * app.ws("/ws/{room}", { path: { room: z.string() }, message: ChatIn, send: ChatEvent }, async (socket, { path }) => {
   *   for await (const message of socket) await socket.send({ room: path.room, ...message });
   * });
   * ```
   */
  declare ws: WebSocketRouteMethod<this>;

  constructor(options: RouterOptions = {}) {
    this.prefix = checkPrefix(options.prefix);
    this.tags = options.tags ?? [];
    this.dependencies = options.dependencies ?? [];
    this.responses = options.responses ?? {};
    this.includeInSchema = options.includeInSchema ?? true;
    for (const d of this.dependencies) {
      if (!isDependency(d)) throw new VeloxError("VX_DEP_NOT_A_DEPENDENCY", `Router ${this.prefix || "/"}: dependencies must be made with depends()`);
    }
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const) {
      (this as any)[method.toLowerCase()] = (path: string, a: unknown, b?: unknown) =>
        typeof a === "function" ? this.route(method, path, {}, a as any) : this.route(method, path, a as RouteConfig, b as any);
    }
    this.ws = ((path: string, a: unknown, b?: unknown) =>
      typeof a === "function" ? this.addWebSocket(path, {}, a as any) : this.addWebSocket(path, a as WebSocketRouteConfig, b as any)) as WebSocketRouteMethod<this>;
  }

  private addWebSocket(path: string, config: WebSocketRouteConfig, handler: (socket: any, ctx: any) => unknown): this {
    const where = `WS ${joinPath(this.prefix, path)}`;
    if (typeof handler !== "function") throw new VeloxError("VX_INVALID_OPTION", `${where}: the handler must be a function`);
    if (typeof config !== "object" || config === null) throw new VeloxError("VX_INVALID_OPTION", `${where}: the route config must be an object`);
    for (const key of Object.keys(config)) {
      if (key === "body" || key === "form") throw new VeloxError("VX_BODY_NOT_ALLOWED", `${where}: a WebSocket handshake has no body; declare inbound messages with "message"`);
      if (!WS_OPTIONS.has(key)) throw new VeloxError("VX_UNKNOWN_OPTION", `${where}: unknown WebSocket route option "${key}"`);
    }
    this.addWs({
      template: parsePathTemplate(joinPath(this.prefix, path), where),
      config,
      handler,
      tags: [...this.tags, ...(config.tags ?? [])],
      dependencies: [...this.dependencies, ...(config.dependencies ?? [])],
      handlerScopes: [this.exceptionHandlers],
      hookScopes: [this.hooks],
      includeInSchema: this.includeInSchema,
    });
    return this;
  }

  /** @internal */
  protected addWs(record: WebSocketRouteRecord): void {
    const where = `WS ${record.template.template}`;
    const key = collisionKey("WS", record.template.pattern);
    const existing = this.keys.get(key);
    if (existing) throw new VeloxError("VX_DUPLICATE_ROUTE", `${where} is already registered${existing === record.template.template ? "" : ` (as ${existing})`}`);
    const pathSpec = record.config.path;
    if (pathSpec && !("~standard" in pathSpec)) {
      for (const name of Object.keys(pathSpec)) {
        if (!record.template.params.includes(name)) throw new VeloxError("VX_UNKNOWN_PATH_PARAM", `${where}: path parameter "${name}" is not in the path template`);
      }
    }
    for (const dep of record.dependencies) {
      if (!isDependency(dep)) throw new VeloxError("VX_DEP_NOT_A_DEPENDENCY", `${where}: "dependencies" entries must be made with depends()`);
    }
    for (const [name, dep] of Object.entries(record.config.deps ?? {})) {
      if (!isDependency(dep)) throw new VeloxError("VX_DEP_NOT_A_DEPENDENCY", `${where}: deps.${name} must be made with depends()`);
    }
    this.keys.set(key, record.template.template);
    this.wsRecords.push(record);
  }

  /**
   * Registers a handler for one or more methods. `app.get(...)` and friends call this.
   *
   * @example
   * ```ts
   * app.route(["GET", "POST"], "/ping", {}, () => "pong");
   * ```
   */
  route(methods: HTTPMethod | readonly HTTPMethod[], path: string, config: RouteConfig, handler: (ctx: any) => unknown): this {
    return this.addRoutes(methods, path, config, handler, this.dependencies);
  }

  /** @internal Registers routes with the given router-level dependencies (the docs routes take none of the app's). */
  protected addRoutes(methods: HTTPMethod | readonly HTTPMethod[], path: string, config: RouteConfig, handler: (ctx: any) => unknown, dependencies: readonly Dependency<any>[]): this {
    for (const method of typeof methods === "string" ? [methods] : methods) {
      const where = `${method} ${joinPath(this.prefix, path)}`;
      if (typeof handler !== "function") throw new VeloxError("VX_INVALID_OPTION", `${where}: the handler must be a function`);
      if (typeof config !== "object" || config === null) throw new VeloxError("VX_INVALID_OPTION", `${where}: the route config must be an object`);
      for (const key of Object.keys(config)) {
        if (!KNOWN_OPTIONS.has(key)) throw new VeloxError("VX_UNKNOWN_OPTION", `${where}: unknown route option "${key}"`);
      }
      const template = parsePathTemplate(joinPath(this.prefix, path), where);
      const own = routeHookLists(config.hooks, where);
      this.add({
        method,
        template,
        config,
        handler,
        tags: [...this.tags, ...(config.tags ?? [])],
        dependencies: [...dependencies, ...(config.dependencies ?? [])],
        handlerScopes: [this.exceptionHandlers],
        responses: { ...this.responses },
        includeInSchema: this.includeInSchema,
        hookScopes: own === null ? [this.hooks] : [this.hooks, own],
        middlewareScopes: [this.routerMiddleware],
      });
    }
    return this;
  }

  /**
   * Adds a request hook to every route of this router (see {@link RequestHooks}): `onRequest`,
   * `preHandler`, `onSend`, `onResponse`, `onError`. Hooks of enclosing routers and the app run
   * first.
   *
   * @example
   * ```ts
   * const admin = new Router({ prefix: "/admin" });
   * admin.addHook("onRequest", (ctx) => { if (!isInternal(ctx.req)) return new EmptyResponse(404); });
   * ```
   */
  addHook<K extends RequestHookName>(name: K, hook: RequestHooks[K]): this {
    addRequestHook(this.hooks, name, hook, `Router ${this.prefix || "/"}`);
    return this;
  }

  /**
   * Adds middleware around this router's routes only (after routing; the app's middleware, which
   * also sees unmatched requests, runs outside it). Middleware is the onion for code that must
   * wrap the rest of the request; hooks are cheaper where a step before or after is enough.
   *
   * @example
   * ```ts
   * const reports = new Router({ prefix: "/reports" });
   * reports.use(async (ctx, next) => { await withTenant(ctx, next); });
   * ```
   */
  use(middleware: Middleware): this {
    if (typeof middleware !== "function") throw new VeloxError("VX_INVALID_OPTION", "use() takes a middleware function");
    this.routerMiddleware.push(middleware);
    return this;
  }

  /**
   * Adds every route of `router` under this one, with an optional extra prefix, tags and
   * dependencies. Routes are copied at this moment, as in FastAPI.
   *
   * @example
   * ```ts
   * app.include(itemsRouter, { prefix: "/v1", dependencies: [verifyApiKey] });
   * ```
   */
  include(router: Router, options: RouterOptions = {}): this {
    const prefix = joinPath(this.prefix, checkPrefix(options.prefix));
    for (const record of router.records) {
      const where = `${record.method} ${joinPath(prefix, record.template.template)}`;
      this.add({
        ...record,
        template: parsePathTemplate(joinPath(prefix, record.template.template), where),
        tags: [...this.tags, ...(options.tags ?? []), ...record.tags],
        dependencies: [...this.dependencies, ...(options.dependencies ?? []), ...record.dependencies],
        handlerScopes: [...record.handlerScopes, this.exceptionHandlers],
        responses: { ...this.responses, ...(options.responses ?? {}), ...record.responses },
        includeInSchema: record.includeInSchema && (options.includeInSchema ?? true) && this.includeInSchema,
        hookScopes: [this.hooks, ...record.hookScopes],
        middlewareScopes: [this.routerMiddleware, ...record.middlewareScopes],
      });
    }
    for (const record of router.wsRecords) {
      this.addWs({
        ...record,
        template: parsePathTemplate(joinPath(prefix, record.template.template), `WS ${joinPath(prefix, record.template.template)}`),
        tags: [...this.tags, ...(options.tags ?? []), ...record.tags],
        dependencies: [...this.dependencies, ...(options.dependencies ?? []), ...record.dependencies],
        handlerScopes: [...record.handlerScopes, this.exceptionHandlers],
        hookScopes: [this.hooks, ...record.hookScopes],
        includeInSchema: record.includeInSchema && (options.includeInSchema ?? true) && this.includeInSchema,
      });
    }
    return this;
  }

  /**
   * Handles errors of a class (and its subclasses) or of an HTTP status for the routes of this
   * router; the app's handlers apply where a router has none.
   *
   * @example
   * ```ts
   * app.exceptionHandler(NotFoundError, (err) => new JSONResponse({ detail: err.message }, { status: 404 }));
   * app.exceptionHandler(404, () => new HTMLResponse("<h1>Nothing here</h1>", { status: 404 }));
   * ```
   */
  exceptionHandler<E>(key: (abstract new (...args: any[]) => E) | number, handler: ExceptionHandler<E>): this {
    if (typeof handler !== "function") throw new VeloxError("VX_INVALID_OPTION", "exceptionHandler() takes a handler function");
    this.exceptionHandlers.set(key, handler as ExceptionHandler);
    return this;
  }

  /** @internal */
  protected add(record: RouteRecord): void {
    const where = `${record.method} ${record.template.template}`;
    const key = collisionKey(record.method, record.template.pattern);
    const existing = this.keys.get(key);
    if (existing) {
      throw new VeloxError("VX_DUPLICATE_ROUTE", `${where} is already registered${existing === record.template.template ? "" : ` (as ${existing})`}`);
    }
    this.validateRecord(record, where);
    this.keys.set(key, record.template.template);
    this.records.push(record);
  }

  private validateRecord(record: RouteRecord, where: string): void {
    const { config, template, method } = record;
    const pathSpec = config.path;
    if (pathSpec && !("~standard" in pathSpec)) {
      for (const name of Object.keys(pathSpec)) {
        if (!template.params.includes(name)) {
          throw new VeloxError("VX_UNKNOWN_PATH_PARAM", `${where}: path parameter "${name}" is not in the path template`);
        }
      }
    }
    if ((config.body || config.form) && (method === "GET" || method === "HEAD")) {
      throw new VeloxError("VX_BODY_NOT_ALLOWED", `${where}: ${method} requests have no body; use query parameters`);
    }
    if (config.body && config.form) {
      throw new VeloxError("VX_BODY_CONFLICT", `${where}: a route takes either a JSON body or form fields, not both`);
    }
    for (const dep of record.dependencies) {
      if (!isDependency(dep)) throw new VeloxError("VX_DEP_NOT_A_DEPENDENCY", `${where}: "dependencies" entries must be made with depends()`);
    }
    for (const [name, dep] of Object.entries(config.deps ?? {})) {
      if (!isDependency(dep)) throw new VeloxError("VX_DEP_NOT_A_DEPENDENCY", `${where}: deps.${name} must be made with depends()`);
    }
  }
}
