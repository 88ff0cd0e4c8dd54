import { analyzeDependant, type DepGraph } from "../di/analyze.ts";
import { compileInputs } from "../di/dependant.ts";
import { DependencyOverrides } from "../di/overrides.ts";
import { formDataBody } from "../params/body-kinds/multipart.ts";
import { jsonBody } from "../params/body-kinds/json.ts";
import type { RoutePlan } from "../route-plan.ts";
import type { RouteRecord } from "../router.ts";
import { deepMerge } from "./json-walk.ts";
import { routeName } from "./naming.ts";
import { assignOperationIds, type OperationIdRequest } from "./operation-ids.ts";
import { buildOperation, collectInputs, type OperationInput } from "./operation.ts";
import { resolveOpenAPIOptions, type OpenAPIAppConfig, type ResolvedOpenAPIOptions } from "./options.ts";
import { SchemaRegistry } from "./schema-registry.ts";
import type { InfoObject, OpenAPIDocument, PathItemObject, ServerObject } from "./types.ts";
import type { ErrorContract } from "./validation-error.ts";
import type { WebhookRecord } from "./webhooks.ts";

/**
 * What the generator reads from an app; `Velox` has all of it.
 *
 * @example
 * ```ts
 * const app: OpenAPIApp = new Velox();
 * generateOpenAPI(app);
 * ```
 */
export interface OpenAPIApp {
  readonly routes: readonly RouteRecord[];
  readonly compiledPlans: readonly RoutePlan[];
  readonly config: OpenAPIAppConfig & { errorFormat?: ErrorContract };
  readonly overrides: { readonly size: number };
}

interface Cached {
  plans: readonly RoutePlan[];
  webhooks: number;
  document: OpenAPIDocument;
}

const cache = new WeakMap<object, Cached>();

/** `/files/{path:path}` is documented as `/files/{path}`. */
const documentedPath = (template: string) => template.replace(/\{([^{}:]+):[^{}]*\}/g, "{$1}");

/** The dependency graph as declared: test overrides change what runs, not what is documented. */
function declaredGraph(plan: RoutePlan, app: OpenAPIApp): DepGraph {
  if (app.overrides.size === 0) return plan.graph;
  const { record } = plan;
  const bodyKind = record.config.bodyKind;
  return analyzeDependant(record.config, record.dependencies, { overrides: new DependencyOverrides(), optimize: false, where: plan.where, ...(bodyKind ? { bodyKind } : {}) });
}

function routeInput(plan: RoutePlan, app: OpenAPIApp, errors: ErrorContract): Omit<OperationInput, "operationId"> {
  const { record } = plan;
  const { config } = record;
  const graph = declaredGraph(plan, app);
  const { sources, bodySchemas } = collectInputs(graph);
  return {
    name: routeName(config.name, record.handler),
    tags: record.tags,
    summary: config.summary,
    description: config.description,
    deprecated: config.deprecated,
    openapiExtra: config.openapiExtra,
    templateParams: record.template.params,
    sources,
    bodySchemas,
    bodyKind: graph.bodyKind,
    graph,
    status: plan.status,
    response: config.response,
    responseDescription: config.responseDescription,
    responses: [record.responses, config.responses ?? {}],
    document422: true,
    errors,
  };
}

function webhookInput(hook: WebhookRecord, errors: ErrorContract): Omit<OperationInput, "operationId"> {
  const { config } = hook;
  const inputs = compileInputs({ headers: config.headers, query: config.query, form: config.form, body: config.body }, false, `webhook ${hook.name}`);
  return {
    name: config.name,
    tags: config.tags ?? [],
    summary: config.summary,
    description: config.description,
    deprecated: config.deprecated,
    openapiExtra: config.openapiExtra,
    templateParams: [],
    sources: inputs.sources,
    bodySchemas: inputs.bodySchema ? [inputs.bodySchema] : [],
    bodyKind: config.body ? jsonBody : config.form ? formDataBody : null,
    graph: null,
    status: config.status ?? 200,
    response: config.response,
    responseDescription: config.responseDescription,
    responses: [config.responses ?? {}],
    document422: false,
    errors,
  };
}

const included = (record: RouteRecord) => record.includeInSchema && record.config.includeInSchema !== false;

function operationIdRequests(records: readonly RouteRecord[], hooks: readonly WebhookRecord[]): OperationIdRequest[] {
  return [
    ...records.map((record) => ({
      method: record.method.toLowerCase(),
      path: documentedPath(record.template.template),
      name: routeName(record.config.name, record.handler),
      tags: record.tags,
      route: record,
      explicit: record.config.operationId,
      where: `${record.method} ${record.template.template}`,
    })),
    ...hooks.map((hook) => ({
      method: hook.method.toLowerCase(),
      path: hook.name,
      name: hook.config.name,
      tags: hook.config.tags ?? [],
      route: null,
      explicit: hook.config.operationId,
      where: `webhook ${hook.method} ${hook.name}`,
    })),
  ];
}

/**
 * Checks that every documented operation of an app gets a unique operationId, without generating
 * the document: throws `VX_DUPLICATE_OPERATION_ID` naming both routes otherwise. The docs call it
 * when the app starts.
 *
 * @example
 * ```ts
 * app.get("/a", { operationId: "same" }, a);
 * app.get("/b", { operationId: "same" }, b);
 * checkOperationIds(app); // throws VeloxError VX_DUPLICATE_OPERATION_ID
 * ```
 */
export function checkOperationIds(app: Pick<OpenAPIApp, "routes" | "config">): void {
  const options = resolveOpenAPIOptions(app.config);
  assignOperationIds(operationIdRequests(app.routes.filter(included), options.webhooks?.all ?? []), options.generateOperationId);
}

function infoOf(options: ResolvedOpenAPIOptions): InfoObject {
  const info: InfoObject = { title: options.title, version: options.version };
  if (options.summary) info.summary = options.summary;
  if (options.description) info.description = options.description;
  if (options.termsOfService) info.termsOfService = options.termsOfService;
  if (options.contact) info.contact = structuredClone(options.contact);
  if (options.license) info.license = structuredClone(options.license);
  return info;
}

function serversOf(options: ResolvedOpenAPIOptions): ServerObject[] {
  const servers = structuredClone(options.servers ?? []);
  if (options.rootPath !== "" && !servers.some((s) => s.url === options.rootPath)) servers.unshift({ url: options.rootPath });
  return servers;
}

function build(app: OpenAPIApp, plans: readonly RoutePlan[]): OpenAPIDocument {
  const options = resolveOpenAPIOptions(app.config);
  const errors: ErrorContract = app.config.errorFormat ?? "fastapi";
  const registry = new SchemaRegistry({ separateInputOutputSchemas: options.separateInputOutputSchemas });
  const documented = plans.filter((p) => included(p.record));
  const hooks = options.webhooks?.all ?? [];
  const requests = operationIdRequests(documented.map((p) => p.record), hooks);
  const ids = assignOperationIds(requests, options.generateOperationId);
  const securitySchemes: Record<string, Record<string, unknown>> = {};
  const add = (target: Record<string, PathItemObject>, key: string, method: string, input: Omit<OperationInput, "operationId">, operationId: string) => {
    const { operation, schemes } = buildOperation({ ...input, operationId }, registry);
    Object.assign(securitySchemes, schemes);
    (target[key] ??= {})[method as "get"] = operation;
  };
  const paths: Record<string, PathItemObject> = {};
  documented.forEach((plan, i) => add(paths, documentedPath(plan.template), plan.record.method.toLowerCase(), routeInput(plan, app, errors), ids[i]!));
  const webhooks: Record<string, PathItemObject> = {};
  hooks.forEach((hook, i) => add(webhooks, hook.name, hook.method.toLowerCase(), webhookInput(hook, errors), ids[documented.length + i]!));

  const servers = serversOf(options);
  const document: OpenAPIDocument = {
    openapi: "3.1.0",
    info: infoOf(options),
    ...(servers.length > 0 ? { servers } : {}),
    paths,
    ...(hooks.length > 0 ? { webhooks } : {}),
  };
  const schemas = registry.finish(document);
  const components: NonNullable<OpenAPIDocument["components"]> = {};
  if (Object.keys(schemas).length > 0) components.schemas = schemas;
  if (Object.keys(securitySchemes).length > 0) components.securitySchemes = securitySchemes;
  if (Object.keys(components).length > 0) document.components = components;
  if (options.tags && options.tags.length > 0) document.tags = structuredClone(options.tags);
  if (options.externalDocs) document.externalDocs = structuredClone(options.externalDocs);
  if (options.extra) deepMerge(document, options.extra);
  return document;
}

/**
 * The OpenAPI 3.1 document of an app, generated from its routes (with everything their
 * dependencies declare) and its `openapi` options. The result is computed once per compiled set of
 * routes and then returned as is: change it through the `openapi` options (`extra` for anything
 * else), or mutate it before the first request, as FastAPI allows with `app.openapi_schema`.
 *
 * @example
 * ```ts
 * const doc = generateOpenAPI(app);
 * console.log(Object.keys(doc.paths)); // ["/items/{item_id}", "/items"]
 * ```
 */
export function generateOpenAPI(app: OpenAPIApp): OpenAPIDocument {
  const plans = app.compiledPlans;
  const webhooks = resolveOpenAPIOptions(app.config).webhooks?.all.length ?? 0;
  const hit = cache.get(app);
  if (hit && hit.plans === plans && hit.webhooks === webhooks) return hit.document;
  const document = build(app, plans);
  cache.set(app, { plans, webhooks, document });
  return document;
}
