import type { RequestContext } from "../context.ts";
import { VeloxError } from "../errors.ts";
import type { AnySchema, Infer, InferParams, SchemaShape } from "../schema/types.ts";
import type { DependantSpec } from "./dependant.ts";

/** When a dependency's cleanup (code after `yield`) runs, and how long its value lives. */
export type DependencyScope = "request" | "function" | "app";

/** Named dependencies: each key becomes a field of the handler's context. */
export type DepsSpec = { readonly [name: string]: Dependency<any> };

/** The resolved values of a {@link DepsSpec}. */
export type ResolvedDeps<D> = D extends DepsSpec ? { [K in keyof D]: D[K] extends Dependency<infer T> ? T : never } : {};

/** How a security dependency describes itself in OpenAPI (filled by `velox` security schemes). */
export interface SecuritySchemeInfo {
  /** Key in `components/securitySchemes`. */
  name: string;
  /** The OpenAPI Security Scheme Object. */
  scheme: Record<string, unknown>;
}

/** Options of {@link depends} besides the function: the dependant's inputs plus how it is cached and scoped. */
export interface DependsConfig extends DependantSpec {
  /** `request` (default): cleanup after the response is sent; `function`: before; `app`: one instance for the app's life. */
  scope?: DependencyScope;
  /** Reuse the value within one request when the same dependency appears twice (default true). */
  useCache?: boolean;
  /**
   * The value depends on the security scopes required (`securityScopes`), so it is cached per
   * scope set. Detected when the function mentions `securityScopes`; set it when it reads them
   * some other way.
   */
  securityScopes?: boolean;
  /** @internal Security scheme description for OpenAPI. */
  security?: SecuritySchemeInfo;
}

/** The scopes the route (and every `security()` on the way) requires of a security dependency. */
export interface SecurityScopes {
  readonly scopes: readonly string[];
  /** The scopes joined by spaces, for `WWW-Authenticate: Bearer scope="..."`. */
  readonly scopeStr: string;
}

/** The context a dependency function receives. */
export type DependencyContext<C extends DependsConfig = {}> = Omit<RequestContext, "path" | "query" | "headers" | "cookies" | "body" | "form"> & {
  path: InferParams<C["path"]>;
  query: InferParams<C["query"]>;
  headers: InferParams<C["headers"]>;
  cookies: InferParams<C["cookies"]>;
  body: C["body"] extends AnySchema ? Infer<C["body"]> : C["body"] extends SchemaShape ? InferParams<C["body"]> : undefined;
  form: InferParams<C["form"]>;
  securityScopes: SecurityScopes;
} & ResolvedDeps<C["deps"]>;

/** What an app-scoped dependency receives: only the app (no request exists at creation). */
export interface AppScopeContext {
  app: { readonly state: Record<string, any> };
}

/** The value a dependency function produces: generators yield it, async functions resolve it. */
export type Resolved<R> = R extends AsyncGenerator<infer Y, any, any>
  ? Y
  : R extends Generator<infer Y, any, any>
    ? Y
    : Awaited<R>;

/**
 * A dependency: a function Velox calls per request (or once per app) and whose result it injects.
 * Create with {@link depends}. `T` is the injected type.
 */
export class Dependency<T = unknown> {
  declare readonly __output: T;
  readonly fn: (ctx: any) => unknown;
  readonly config: DependsConfig;
  readonly scope: DependencyScope;
  readonly useCache: boolean;
  /** Set on dependencies made by {@link security}: the original and the scopes it adds. */
  readonly base: Dependency<T> | null;
  readonly scopes: readonly string[];

  constructor(fn: (ctx: any) => unknown, config: DependsConfig, base: Dependency<T> | null = null, scopes: readonly string[] = []) {
    this.fn = fn;
    this.config = config;
    this.scope = config.scope ?? "request";
    this.useCache = config.useCache ?? true;
    this.base = base;
    this.scopes = scopes;
  }

  /** A readable name for errors and docs. */
  get name(): string {
    return this.fn.name || "anonymous";
  }
}

/**
 * Declares a dependency. The function may be sync or async, or a (async) generator whose code
 * after `yield` is the cleanup; it receives the request context plus its own declared params and
 * sub-dependencies.
 *
 * @example
 * ```ts
 * const getDb = depends(async function* ({ app }) {
 *   const conn = await app.state.pool.connect();
 *   try { yield conn; } finally { conn.release(); }
 * });
 * const pagination = depends({ query: { page: z.coerce.number().int().min(1).default(1) } }, ({ query }) => query.page);
 * const currentUser = depends({ deps: { db: getDb }, headers: { authorization: z.string() } }, ({ db, headers }) => db.userFor(headers.authorization));
 * ```
 */
export function depends<R>(fn: (ctx: DependencyContext<{}>) => R, options?: Pick<DependsConfig, "scope" | "useCache">): Dependency<Resolved<R>>;
export function depends<const C extends DependsConfig & { scope: "app" }, R>(config: C, fn: (ctx: AppScopeContext) => R): Dependency<Resolved<R>>;
export function depends<const C extends DependsConfig, R>(config: C, fn: (ctx: DependencyContext<C>) => R): Dependency<Resolved<R>>;
export function depends(a: unknown, b?: unknown): Dependency<any> {
  if (typeof a === "function") return new Dependency(a as (ctx: any) => unknown, (b as DependsConfig | undefined) ?? {});
  if (typeof b !== "function" || typeof a !== "object" || a === null) {
    throw new VeloxError("VX_DEP_NOT_A_DEPENDENCY", "depends() takes a function, or a config object and a function");
  }
  return new Dependency(b as (ctx: any) => unknown, a as DependsConfig);
}

/**
 * Requires security scopes of a security dependency for one route or router (FastAPI's
 * `Security(dep, scopes=[...])`). The dependency sees every required scope in `securityScopes`.
 *
 * @example
 * ```ts
 * app.get("/items", { deps: { user: security(currentUser, ["items:read"]) } }, ({ user }) => listItems(user));
 * ```
 */
export function security<T>(dep: Dependency<T>, scopes: readonly string[] = []): Dependency<T> {
  const root = dep.base ?? dep;
  return new Dependency<T>(root.fn, root.config, root, [...new Set([...dep.scopes, ...scopes])]);
}

/** True for dependency objects. */
export function isDependency(value: unknown): value is Dependency<unknown> {
  return value instanceof Dependency;
}
