import type { RequestContext } from "./context.ts";
import type { DependantSpec } from "./di/dependant.ts";
import type { ResolvedDeps } from "./di/dependency.ts";
import type { RouteHooks } from "./hooks.ts";
import type { BodyKind } from "./params/body-kinds/body-kind.ts";
import type { MultipartOptions } from "./params/multipart/limits.ts";
import type { ItemSource } from "./responses/event-source.ts";
import type { VeloxResponse } from "./responses/response.ts";
import type { ServerSentEvent } from "./responses/sse-event.ts";
import type { StreamSpec } from "./responses/stream-spec.ts";
import type { AnySchema, Infer, InferInput, InferParams, ParamSpec, SchemaShape } from "./schema/types.ts";
import type { FieldSet } from "./serialize/field-sets.ts";

/** How FastAPI-compatible input handling is: `strict` (Velox's default) or `fastapi` (see docs/request-bodies.md). */
export type Compat = "strict" | "fastapi";

/** The HTTP methods a route can answer. */
export type HTTPMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";

/** A documented response of a route: its schema and/or description. */
export interface ResponseSpec {
  schema?: AnySchema;
  description?: string;
  /** Media type when not JSON (e.g. `text/html`). */
  contentType?: string;
  headers?: Record<string, { description?: string; schema?: Record<string, unknown> }>;
}

/**
 * Everything a route declares besides its method, path and handler: its inputs (the same shape
 * as a dependency's — the route is the root of its dependency graph), its response model, hooks
 * and documentation.
 *
 * @example
 * ```ts
 * const config = {
 *   path: { id: z.int().min(1) },
 *   query: { fields: z.string().optional() },
 *   deps: { db: getDb },
 *   response: Item,
 *   responses: { 404: { description: "No such item" } },
 *   hooks: { onSend: addEtag },
 *   tags: ["items"],
 *   summary: "Read one item",
 * } satisfies RouteConfig;
 * app.get("/items/{id}", config, ({ path, db }) => db.items.find(path.id));
 * ```
 */
export interface RouteConfig extends DependantSpec {
  /** How the body is read when not JSON (or URL-encoded for `form`): a row of the body-kind table. */
  bodyKind?: BodyKind;
  /** Request hooks of this route only (after the app's and its routers'). */
  hooks?: RouteHooks;
  /**
   * The response model: validates and filters what the handler returns. `sse(Item)` or
   * `jsonl(Item)` stream instead: the handler returns (async) iterables of items, each validated.
   */
  response?: AnySchema | StreamSpec;
  /** Success status (200 by default). */
  status?: number;
  /** Other documented responses by status: `{ 404: Message }`. */
  responses?: { readonly [status: number]: AnySchema | ResponseSpec };
  /** Validate the handler's return value against `response` (default true; off is faster). */
  validateResponse?: boolean;
  /** Largest accepted body in bytes (default: the app's, 1 MiB; a multipart body's total cap when set here). */
  bodyLimit?: number;
  /** `"fastapi"`: accept what FastAPI accepts in JSON bodies (Pydantic's lax mode) and answer a wrong Content-Type with 422 (default: the app's, `"strict"`). */
  compat?: Compat;
  /** Leave out fields the handler did not set (FastAPI's `response_model_exclude_unset`). */
  responseExcludeUnset?: boolean;
  /** Leave out `null` fields at every level (`response_model_exclude_none`). */
  responseExcludeNone?: boolean;
  /** Leave out fields equal to their default (`response_model_exclude_defaults`). */
  responseExcludeDefaults?: boolean;
  /** Send only these fields of the response model (`response_model_include`): names, or a tree for nested ones. */
  responseInclude?: FieldSet;
  /** Never send these fields of the response model (`response_model_exclude`). */
  responseExclude?: FieldSet;
  /** Caps and spooling of `multipart/form-data` bodies (files, fields, sizes, temp dir); secure defaults otherwise. */
  multipart?: MultipartOptions;
  tags?: readonly string[];
  summary?: string;
  description?: string;
  operationId?: string;
  deprecated?: boolean;
  /** Leave this route out of OpenAPI (default true). */
  includeInSchema?: boolean;
  /** Description of the success response. */
  responseDescription?: string;
  /** Merged into the generated OpenAPI operation. */
  openapiExtra?: Record<string, unknown>;
  /** A name for this route (operationId fallback, `app.urlFor`). */
  name?: string;
}

type PathParamNames<P extends string> = P extends `${string}{${infer Param}}${infer Rest}`
  ? (Param extends `${infer Name}:${string}` ? Name : Param) | PathParamNames<Rest>
  : never;

/** Path parameters read from the template when no `path` schemas are given: all strings. */
export type TemplateParams<P extends string> = { [K in PathParamNames<P>]: string };

/** The context a route's handler receives, typed from its config. */
export type HandlerContext<P extends string, C extends RouteConfig> = Omit<
  RequestContext,
  "path" | "query" | "headers" | "cookies" | "body" | "form"
> & {
  path: C["path"] extends ParamSpec ? InferParams<C["path"]> : TemplateParams<P>;
  query: InferParams<C["query"]>;
  headers: InferParams<C["headers"]>;
  cookies: InferParams<C["cookies"]>;
  body: C["body"] extends AnySchema ? Infer<C["body"]> : C["body"] extends SchemaShape ? InferParams<C["body"]> : undefined;
  form: InferParams<C["form"]>;
} & ResolvedDeps<C["deps"]>;

type ResponsesInput<R> = R extends { readonly [status: number]: infer E }
  ? E extends AnySchema ? InferInput<E> : E extends { readonly schema: infer S } ? InferInput<S> : never
  : never;

/**
 * What a handler may return: the input of the response model or of another documented response
 * (the handler picks it with `response.status`), or a ready response.
 */
export type HandlerResult<C extends RouteConfig> = C["response"] extends StreamSpec<infer S, infer K>
  ? ItemSource<StreamItem<S, K>> | VeloxResponse
  : C["response"] extends AnySchema
    ? InferInput<C["response"]> | ResponsesInput<C["responses"]> | VeloxResponse
    : unknown;

type ItemOf<S> = S extends AnySchema ? InferInput<S> : unknown;

/** What a streamed route yields: items of its schema (SSE also takes `ServerSentEvent`s carrying one). */
export type StreamItem<S, K> = K extends "sse" ? ItemOf<S> | ServerSentEvent<ItemOf<S>> : ItemOf<S>;

/** A route handler. */
export type Handler<P extends string, C extends RouteConfig> = (
  ctx: HandlerContext<P, C>,
) => HandlerResult<C> | Promise<HandlerResult<C>>;

/** The signature of `app.get`, `app.post`, ...: with or without a config object. */
export interface RouteMethod<Self> {
  <const P extends string, const C extends RouteConfig>(path: P, config: C, handler: Handler<P, C>): Self;
  <const P extends string>(path: P, handler: Handler<P, {}>): Self;
}
