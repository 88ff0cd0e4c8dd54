import type { ServerOptions } from "node:http";
import type { Velox } from "./app.ts";
import type { Dependency } from "./di/dependency.ts";
import type { ErrorFormat } from "./error-response.ts";
import type { Logger } from "./logger.ts";
import type { OpenAPIOptions } from "./openapi/options.ts";
import type { Compat } from "./route-types.ts";
import type { WebSocketAppOptions } from "./websocket/app-options.ts";

/**
 * Startup and shutdown as one async generator: code before `yield` runs at startup, the yielded
 * object is merged into `app.state`, code after `yield` runs at shutdown.
 *
 * @example
 * ```ts
 * const lifespan: Lifespan = async function* () {
 *   const pool = await openPool();
 *   yield { pool };
 *   await pool.end();
 * };
 * ```
 */
export type Lifespan = (app: Velox) => AsyncGenerator<Record<string, unknown> | void, void, unknown>;

/**
 * Options of a {@link Velox} app.
 *
 * @example
 * ```ts
 * const options: VeloxOptions = { title: "Shop", version: "1.0.0", bodyLimit: 2 * 1024 * 1024, errorFormat: "problem" };
 * const app = new Velox(options);
 * ```
 */
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
  /**
   * `"fastapi"` for clients migrating unchanged: JSON bodies accept Pydantic's lax conversions
   * (`"5.4"` for a number) and a wrong Content-Type is FastAPI's 422 instead of 415. Default
   * `"strict"`; routes may override it. See docs/request-bodies.md for what each mode accepts.
   */
  compat?: Compat;
  /** Redirect `/items/` to `/items` (and back) with 307 when only the other exists (default true). */
  redirectSlashes?: boolean;
  /** Header a request id is read from (default `x-request-id`); `false` always generates one. */
  requestIdHeader?: string | false;
  /** Enter the AsyncLocalStorage request scope for every request (see `currentRequest`). */
  requestScope?: boolean;
  /** Side-effect dependencies for every route (not the docs routes). */
  dependencies?: readonly Dependency<any>[];
  /** Most query parameters accepted (413 beyond). Default 1000. */
  maxQueryParams?: number;
  /** OpenAPI document and docs settings (`/openapi.json`, `/docs`, `/redoc`; see `OpenAPIOptions`). */
  openapi?: OpenAPIOptions;
  /** WebSocket limits for every `ws()` route, the AsyncAPI document and the drain (see `velox/websocket`). */
  websocket?: WebSocketAppOptions;
}

/**
 * Options of {@link Velox.listen}: node server options plus where to listen.
 *
 * @example
 * ```ts
 * await app.listen({ port: 8000, host: "0.0.0.0", keepAliveTimeout: 5_000 } satisfies ListenOptions);
 * ```
 */
export interface ListenOptions extends ServerOptions {
  port?: number;
  host?: string;
}

/**
 * A plugin: a function that configures an app (routes, hooks, middleware), for `app.register`.
 *
 * @example
 * ```ts
 * const health: Plugin = (app) => { app.get("/healthz", {}, () => ({ ok: true })); };
 * app.register(health);
 * ```
 */
export type Plugin = (app: Velox) => void;
