import { compose, type Middleware } from "./compose.ts";
import type { RequestContext } from "./context.ts";
import { runRoute } from "./pipeline/run-route.ts";
import { analyzeDependant, type DepGraph } from "./di/analyze.ts";
import type { DependencyOverrides } from "./di/overrides.ts";
import { VeloxError } from "./errors.ts";
import { compileHooks, type CompiledHooks, type HookLists } from "./hooks.ts";
import type { BodyKind, BodyReadOptions } from "./params/body-kinds/body-kind.ts";
import type { ExceptionHandler, ExceptionKey, RouteRecord } from "./router.ts";
import type { ResponseSpec } from "./route-types.ts";
import { jsonBody } from "./params/body-kinds/json.ts";
import { fastapiJsonBody } from "./params/body-kinds/json-compat.ts";
import { laxBodyValidator } from "./params/lax-body.ts";
import type { Compat, RouteConfig } from "./route-types.ts";
import { applyFieldSets } from "./serialize/field-sets.ts";
import { compileExcludingSerializer } from "./serialize/filtered-serializer.ts";
import { compileJsonSerializer, compileSerializer, type Serialize } from "./serialize/serializer.ts";
import { projectedJsonSerializer } from "./serialize/projected-json.ts";
import { toJsonSchema } from "./schema/json-schema.ts";
import { compileRouteStream, type RouteStream } from "./responses/stream-route.ts";
import { isStreamSpec } from "./responses/stream-spec.ts";
import { isSchema, type AnySchema } from "./schema/types.ts";
import { compileValidator, type ValidateFn } from "./schema/validator.ts";

/** How the value returned for one status is checked and written. */
export interface Responder {
  validate: ValidateFn | null;
  serialize: Serialize;
}

/** Everything a request for one route needs, computed once when the app starts. */
export interface RoutePlan {
  record: RouteRecord;
  /** `GET /items/{id}`, for errors and logs. */
  where: string;
  template: string;
  /** The `{name:path}` parameter, which the router reports as `*`. */
  wildcard: string | null;
  handler: (ctx: any) => unknown;
  /** The route as the root of its dependency graph: its own inputs, then its dependencies. */
  graph: DepGraph;
  /** How the body is read, or null when neither the route nor a dependency reads one. */
  bodyKind: BodyKind | null;
  bodyOptions: BodyReadOptions;
  status: number;
  responder: Responder;
  responders: Map<number, Responder>;
  exceptionScopes: Map<ExceptionKey, ExceptionHandler>[];
  /** The request hooks of the app, its routers and the route, `null` per kind when none. */
  hooks: CompiledHooks;
  /** The app's and the routers' middleware composed around the route, or null when there is none. */
  chain: ((ctx: RequestContext) => Promise<void>) | null;
  /** How a streamed route (`response: sse(...)` / `jsonl(...)`) writes its items, or null. */
  stream: RouteStream | null;
  /** No body, no dependencies: the request can run without any await. */
  simple: boolean;
  /** No hooks and no middleware: the request goes straight to the route. */
  direct: boolean;
}

/** Settings of the app that route compilation reads. */
export interface PlanSettings {
  bodyLimit: number;
  optimize: boolean;
  validateResponses: boolean;
  overrides: DependencyOverrides;
  appHandlers: Map<ExceptionKey, ExceptionHandler>;
  /** The app's middleware (outermost), composed around every route's own. */
  appMiddleware: readonly Middleware[];
  /** The app's `compat` setting (routes may override it). */
  compat: Compat;
}

const PLAIN: Responder = { validate: null, serialize: (v) => JSON.stringify(v) ?? "null" };

function schemaOf(entry: AnySchema | ResponseSpec | undefined): AnySchema | undefined {
  if (!entry) return undefined;
  return isSchema(entry) ? entry : entry.schema;
}

// JavaScriptCore's JSON.stringify beats fast-json-stringify's generated code about 2×; V8's does not.
const ON_JSC = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";

function responderFor(schema: AnySchema | undefined, validate: boolean, optimize: boolean): Responder {
  if (!schema) return PLAIN;
  // Only validated values: fast-json-stringify also coerces a value to the declared types.
  const projected = validate && ON_JSC ? projectedFor(schema) : null;
  return { validate: validate ? compileValidator(schema, optimize) : null, serialize: projected ?? compileSerializer(schema).serialize };
}

function projectedFor(schema: AnySchema): Serialize | null {
  const json = toJsonSchema(schema, "output");
  return json ? projectedJsonSerializer(json) : null;
}

/**
 * The success response's serializer with the route's `responseInclude`/`Exclude` (compiled into
 * its JSON Schema) and `responseExcludeUnset`/`None`/`Defaults` (compiled into a writer tree).
 */
function filteredResponder(config: RouteConfig, where: string, validate: boolean, optimize: boolean): Responder {
  // Only reached with a response model (compileRoute checks): never a stream spec.
  const schema = config.response as AnySchema;
  const rules = { excludeUnset: config.responseExcludeUnset, excludeNone: config.responseExcludeNone, excludeDefaults: config.responseExcludeDefaults };
  const json = toJsonSchema(schema, "output");
  if (!json) throw new VeloxError("VX_RESPONSE_SCHEMA", `${where}: response filtering needs a response model that has a JSON Schema`);
  const filtered = applyFieldSets(json, config.responseInclude, config.responseExclude, where);
  const serialize = rules.excludeUnset || rules.excludeNone || rules.excludeDefaults ? compileExcludingSerializer(filtered, rules).serialize : compileJsonSerializer(filtered);
  return { validate: validate ? compileValidator(schema, optimize) : null, serialize };
}

const FILTER_OPTIONS = ["responseExcludeUnset", "responseExcludeNone", "responseExcludeDefaults", "responseInclude", "responseExclude"] as const;

function responders(record: RouteRecord, status: number, validate: boolean, optimize: boolean): { responder: Responder; responders: Map<number, Responder> } {
  const { config } = record;
  const where = `${record.method} ${record.template.template}`;
  const model = isStreamSpec(config.response) ? undefined : config.response;
  const filters = FILTER_OPTIONS.some((key) => config[key] !== undefined && config[key] !== false);
  if (filters && !model) throw new VeloxError("VX_RESPONSE_SCHEMA", `${where}: response filtering options need a "response" model`);
  const responder = filters ? filteredResponder(config, where, validate, optimize) : responderFor(model, validate, optimize);
  const map = new Map<number, Responder>([[status, responder]]);
  for (const [code, entry] of Object.entries({ ...record.responses, ...(config.responses ?? {}) })) {
    const n = Number(code);
    if (n === status && model) continue;
    const schema = schemaOf(entry);
    if (schema) map.set(n, responderFor(schema, validate, optimize));
  }
  return { responder, responders: map };
}


/**
 * Compiles a registered route into its plan: the dependant graph (the route's own extractors and
 * body validator, its dependencies in resolution order, the body kind they read), the response
 * serializers, its hooks and middleware.
 *
 * @example
 * ```ts
 * const plan = compileRoute(app.routes[0]!, settings);
 * plan.simple; // true for a route without body and dependencies
 * ```
 */
export function compileRoute(record: RouteRecord, settings: PlanSettings): RoutePlan {
  const { config } = record;
  const where = `${record.method} ${record.template.template}`;
  if (config.response !== undefined && !isSchema(config.response) && !isStreamSpec(config.response)) {
    throw new VeloxError("VX_RESPONSE_SCHEMA", `${where}: "response" must be a Standard Schema, sse(...) or jsonl(...)`);
  }
  const graph = analyzeDependant(config, record.dependencies, {
    overrides: settings.overrides,
    optimize: settings.optimize,
    where,
    ...(config.bodyKind === undefined ? {} : { bodyKind: config.bodyKind }),
  });
  const compat = config.compat ?? settings.compat;
  if (compat !== "strict" && compat !== "fastapi") throw new VeloxError("VX_INVALID_OPTION", `${where}: compat must be "strict" or "fastapi", got ${JSON.stringify(compat)}`);
  if (compat === "fastapi") {
    for (const node of [graph.root, ...graph.nodes]) {
      const lax = laxBodyValidator(node);
      if (lax !== null) node.body = lax;
    }
  }
  const bodyKind = compat === "fastapi" && graph.bodyKind === jsonBody ? fastapiJsonBody : graph.bodyKind;
  if (bodyKind !== null && (record.method === "GET" || record.method === "HEAD")) {
    throw new VeloxError("VX_BODY_NOT_ALLOWED", `${where}: a dependency reads a body, but ${record.method} requests have none`);
  }
  const bodyOptions: BodyReadOptions = { limit: config.bodyLimit ?? settings.bodyLimit, config };
  bodyKind?.prepare?.(bodyOptions, where);
  const status = config.status ?? 200;
  const hooks = compileHooks(record.hookScopes as readonly (HookLists | null)[]);
  const middleware = [...settings.appMiddleware, ...record.middlewareScopes.flat()];
  const chain = middleware.length > 0 ? compose(middleware, runRoute) : null;
  return {
    record,
    where,
    template: record.template.template,
    wildcard: record.template.wildcard,
    handler: record.handler,
    graph,
    bodyKind,
    bodyOptions,
    stream: isStreamSpec(config.response) ? compileRouteStream(config.response, config.validateResponse ?? settings.validateResponses) : null,
    status,
    ...responders(record, status, config.validateResponse ?? settings.validateResponses, settings.optimize),
    // Routes registered on the app already list its handlers; each scope is searched once.
    exceptionScopes: [...new Set([...record.handlerScopes, settings.appHandlers])],
    hooks,
    chain,
    simple: bodyKind === null && graph.nodes.length === 0,
    direct: chain === null && Object.values(hooks).every((h) => h === null),
  };
}
