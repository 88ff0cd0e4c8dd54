import { analyzeDependencies, type DepGraph } from "./di/analyze.ts";
import type { DependencyOverrides } from "./di/overrides.ts";
import { VeloxError } from "./errors.ts";
import { compileSource, type SourceExtractor } from "./params/extract.ts";
import type { ExceptionHandler, ExceptionKey, RouteRecord } from "./router.ts";
import type { ResponseSpec } from "./route-types.ts";
import { compileSerializer, type Serialize } from "./serialize/serializer.ts";
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
  wildcard: string | null;
  handler: (ctx: any) => unknown;
  /** The route's own parameter sources (path, query, header, cookie, form). */
  sources: SourceExtractor[];
  body: ValidateFn | null;
  bodySchema: AnySchema | null;
  /** What to read from the request body, considering the route and all its dependencies. */
  bodyKind: "json" | "form" | null;
  bodyLimit: number;
  needsCookies: boolean;
  graph: DepGraph | null;
  status: number;
  responder: Responder;
  responders: Map<number, Responder>;
  exceptionScopes: Map<ExceptionKey, ExceptionHandler>[];
  /** No body, no dependencies: the request can run without any await. */
  simple: boolean;
}

/** Settings of the app that route compilation reads. */
export interface PlanSettings {
  bodyLimit: number;
  optimize: boolean;
  validateResponses: boolean;
  overrides: DependencyOverrides;
  appHandlers: Map<ExceptionKey, ExceptionHandler>;
}

const PLAIN: Responder = { validate: null, serialize: (v) => JSON.stringify(v) ?? "null" };

function schemaOf(entry: AnySchema | ResponseSpec | undefined): AnySchema | undefined {
  if (!entry) return undefined;
  return isSchema(entry) ? entry : entry.schema;
}

function responderFor(schema: AnySchema | undefined, validate: boolean, optimize: boolean): Responder {
  if (!schema) return PLAIN;
  return { validate: validate ? compileValidator(schema, optimize) : null, serialize: compileSerializer(schema).serialize };
}

const SOURCE_KEYS = [["path", "path"], ["query", "query"], ["headers", "header"], ["cookies", "cookie"], ["form", "form"]] as const;

/**
 * Compiles a registered route into its plan: extractors with coercion, validators, the dependency
 * graph in resolution order, the body reader and the response serializers.
 */
export function compileRoute(record: RouteRecord, settings: PlanSettings): RoutePlan {
  const { config } = record;
  const where = `${record.method} ${record.template.template}`;
  const sources: SourceExtractor[] = [];
  for (const [key, location] of SOURCE_KEYS) {
    const spec = config[key];
    if (spec === undefined) continue;
    if (!isSchema(spec) && (typeof spec !== "object" || spec === null)) throw new VeloxError("VX_NOT_A_SCHEMA", `${where}: "${key}" must be a schema or an object of schemas`);
    if (!isSchema(spec)) {
      for (const [name, s] of Object.entries(spec)) {
        if (!isSchema(s)) throw new VeloxError("VX_NOT_A_SCHEMA", `${where}: ${key}.${name} is not a Standard Schema (Zod, Valibot, ArkType...)`);
      }
    }
    sources.push(compileSource(location, spec, settings.optimize));
  }
  if (config.body !== undefined && !isSchema(config.body)) throw new VeloxError("VX_NOT_A_SCHEMA", `${where}: "body" must be a Standard Schema`);
  if (config.response !== undefined && !isSchema(config.response)) {
    throw new VeloxError("VX_RESPONSE_SCHEMA", `${where}: "response" must be a Standard Schema`);
  }
  const named = config.deps ?? {};
  const sideEffects = record.dependencies;
  const graph = Object.keys(named).length > 0 || sideEffects.length > 0
    ? analyzeDependencies(named, sideEffects, settings.overrides, settings.optimize, where)
    : null;
  const wantsJson = config.body !== undefined || (graph?.needsJson ?? false);
  const wantsForm = config.form !== undefined || (graph?.needsForm ?? false);
  if (wantsJson && wantsForm) throw new VeloxError("VX_BODY_CONFLICT", `${where}: the route and its dependencies mix a JSON body and form fields`);
  if ((wantsJson || wantsForm) && (record.method === "GET" || record.method === "HEAD")) {
    throw new VeloxError("VX_BODY_NOT_ALLOWED", `${where}: a dependency reads a body, but ${record.method} requests have none`);
  }
  const validate = config.validateResponse ?? settings.validateResponses;
  const status = config.status ?? 200;
  const responder = responderFor(config.response, validate, settings.optimize);
  const responders = new Map<number, Responder>([[status, responder]]);
  for (const [code, entry] of Object.entries({ ...record.responses, ...(config.responses ?? {}) })) {
    const n = Number(code);
    if (n === status && config.response) continue;
    const schema = schemaOf(entry);
    if (schema) responders.set(n, responderFor(schema, validate, settings.optimize));
  }
  const bodyKind = wantsJson ? "json" : wantsForm ? "form" : null;
  return {
    record,
    where,
    template: record.template.template,
    wildcard: record.template.wildcard,
    handler: record.handler,
    sources,
    body: config.body ? compileValidator(config.body, settings.optimize) : null,
    bodySchema: config.body ?? null,
    bodyKind,
    bodyLimit: config.bodyLimit ?? settings.bodyLimit,
    needsCookies: config.cookies !== undefined || (graph?.needsCookies ?? false),
    graph,
    status,
    responder,
    responders,
    // Routes registered on the app already list its handlers; each scope is searched once.
    exceptionScopes: [...new Set([...record.handlerScopes, settings.appHandlers])],
    simple: bodyKind === null && graph === null,
  };
}
