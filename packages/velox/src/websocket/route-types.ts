import type { Dependency, DepsSpec, ResolvedDeps } from "../di/dependency.ts";
import type { HookLists } from "../hooks.ts";
import type { PathTemplate } from "../params/path-template.ts";
import type { ExceptionHandler, ExceptionKey } from "../router.ts";
import type { TemplateParams } from "../route-types.ts";
import type { AnySchema, Infer, InferInput, InferParams, ParamSpec } from "../schema/types.ts";
import type { InvalidMessagePolicy, WebSocketConnection } from "./connection.ts";
import type { ConnectionContext } from "./handler-context.ts";
import type { WebSocketLimits } from "./options.ts";

/**
 * Everything a WebSocket route declares: its handshake inputs (path, query, headers, cookies and
 * dependencies — security schemes included — resolved and checked before the upgrade), the
 * schemas of the messages it receives (`message`) and sends (`send`), its limits and docs.
 *
 * @example
 * ```ts
 * const config = {
 *   path: { room: z.string().max(50) },
 *   deps: { user: wsUser },
 *   message: z.object({ content: z.string().max(2000) }),
 *   send: ChatEvent,
 *   limits: { rateLimit: { messages: 20, intervalMs: 1000 } },
 * } satisfies WebSocketRouteConfig;
 * ```
 */
export interface WebSocketRouteConfig {
  path?: ParamSpec;
  query?: ParamSpec;
  headers?: ParamSpec;
  cookies?: ParamSpec;
  /** Dependencies injected by name; they live as long as the connection (cleanup when it ends). */
  deps?: DepsSpec;
  /** Dependencies run for their side effects only (an API-key check). */
  dependencies?: readonly Dependency<any>[];
  /** Inbound messages: JSON text frames, parsed and validated (invalid → `onInvalidMessage`). */
  message?: AnySchema;
  /** Outbound messages: `socket.send(value)` validates and filters like a response model. */
  send?: AnySchema;
  /** `error` (default): answer an invalid message with an error frame; `close`: close with 1007 (1003 for binary). */
  onInvalidMessage?: InvalidMessagePolicy;
  /** Subprotocols the route speaks, in order of preference (`Sec-WebSocket-Protocol`). */
  subprotocols?: readonly string[];
  /** This route's limits, over the app's `websocket.limits` and the defaults. */
  limits?: WebSocketLimits;
  tags?: readonly string[];
  summary?: string;
  description?: string;
  deprecated?: boolean;
  /** Leave this route out of the AsyncAPI document. */
  includeInSchema?: boolean;
  /** A name for the route (AsyncAPI ids). */
  name?: string;
}

/**
 * The context a WebSocket handler receives besides the socket, typed from its config: a
 * {@link ConnectionContext} (light, kept for the connection's life; `req` is a `HandshakeRequest`)
 * with the validated inputs and the dependencies by name.
 */
export type WebSocketHandlerContext<P extends string, C extends WebSocketRouteConfig> = Omit<
  ConnectionContext,
  "path" | "query" | "headers" | "cookies" | `_${string}`
> & {
  path: C["path"] extends ParamSpec ? InferParams<C["path"]> : TemplateParams<P>;
  query: InferParams<C["query"]>;
  headers: InferParams<C["headers"]>;
  cookies: InferParams<C["cookies"]>;
} & ResolvedDeps<C["deps"]>;

/** The socket a handler gets: its messages typed by `message`, what it sends by `send`. */
export type WebSocketFor<C extends WebSocketRouteConfig> = WebSocketConnection<
  C["message"] extends AnySchema ? Infer<C["message"]> : string | Buffer,
  C["send"] extends AnySchema ? InferInput<C["send"]> : unknown
>;

/** A WebSocket route handler: it runs once the connection is open; when it returns, the connection closes. */
export type WebSocketHandler<P extends string, C extends WebSocketRouteConfig> = (
  socket: WebSocketFor<C>,
  ctx: WebSocketHandlerContext<P, C>,
) => unknown;

/** The signature of `app.ws` and `router.ws`: with or without a config object. */
export interface WebSocketRouteMethod<Self> {
  <const P extends string, const C extends WebSocketRouteConfig>(path: P, config: C, handler: WebSocketHandler<P, C>): Self;
  <const P extends string>(path: P, handler: WebSocketHandler<P, {}>): Self;
}

/** A WebSocket route as registered, with what it inherits from the routers it was included through. */
export interface WebSocketRouteRecord {
  template: PathTemplate;
  config: WebSocketRouteConfig;
  handler: (socket: any, ctx: any) => unknown;
  tags: string[];
  /** Side-effect dependencies of enclosing routers (outermost first), then the route's own. */
  dependencies: Dependency<any>[];
  /** Exception handler maps from the innermost router outwards. */
  handlerScopes: Map<ExceptionKey, ExceptionHandler>[];
  /** Hook lists of the app and the routers it was included through (outermost first): their `onRequest` hooks run on the handshake. */
  hookScopes: HookLists[];
  includeInSchema: boolean;
}
