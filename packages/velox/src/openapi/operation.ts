import type { DepGraph } from "../di/analyze.ts";
import type { BodyKind } from "../params/body-kinds/body-kind.ts";
import type { SourceExtractor } from "../params/extract.ts";
import type { ResponseSpec } from "../route-types.ts";
import type { AnySchema } from "../schema/types.ts";
import type { StreamSpec } from "../responses/stream-spec.ts";
import { deepMerge } from "./json-walk.ts";
import { summaryOf } from "./naming.ts";
import { operationParameters } from "./parameters.ts";
import { operationResponses } from "./responses.ts";
import type { SchemaRegistry } from "./schema-registry.ts";
import { operationSecurity } from "./security.ts";
import type { OperationObject } from "./types.ts";
import type { ErrorContract } from "./validation-error.ts";

/**
 * Everything one operation is documented from, for routes and webhooks alike.
 *
 * @example
 * ```ts
 * buildOperation({ ...routeFacts, operationId: "readItem" } satisfies OperationInput, registry);
 * ```
 */
export interface OperationInput {
  operationId: string;
  /** The route's name (for the default summary). */
  name: string | undefined;
  tags: readonly string[];
  summary?: string;
  description?: string;
  deprecated?: boolean;
  openapiExtra?: Record<string, unknown>;
  /** Path parameters of the template. */
  templateParams: readonly string[];
  /** Parameter sources of the route and of every dependency. */
  sources: readonly SourceExtractor[];
  /** Body schemas of the route and of every dependency. */
  bodySchemas: readonly AnySchema[];
  /** How the body is read (it documents the request body), or null. */
  bodyKind: BodyKind | null;
  graph: DepGraph | null;
  status: number;
  response: AnySchema | StreamSpec | undefined;
  responseDescription: string | undefined;
  responses: readonly Record<string | number, AnySchema | ResponseSpec>[];
  /** Whether a 422 can be answered (false for webhooks: the receiver is not Velox). */
  document422: boolean;
  errors: ErrorContract;
}

/**
 * The parameter sources and body schemas of a dependant graph: the route's own, then every
 * dependency's — read from the one analysis the route runs on.
 *
 * @example
 * ```ts
 * const { sources, bodySchemas } = collectInputs(plan.graph);
 * ```
 */
export function collectInputs(graph: DepGraph): { sources: SourceExtractor[]; bodySchemas: AnySchema[] } {
  const sources = [...graph.root.sources];
  const bodySchemas = graph.root.bodySchema ? [graph.root.bodySchema] : [];
  for (const node of graph.nodes) {
    sources.push(...node.sources);
    if (node.bodySchema) bodySchemas.push(node.bodySchema);
  }
  return { sources, bodySchemas };
}

/**
 * Builds one Operation Object, in FastAPI's key order, and reports the security schemes it uses.
 *
 * @example
 * ```ts
 * const { operation, schemes } = buildOperation(input, registry);
 * document.paths["/items/{id}"] = { get: operation };
 * ```
 */
export function buildOperation(input: OperationInput, registry: SchemaRegistry): { operation: OperationObject; schemes: Record<string, Record<string, unknown>> } {
  const operation: Partial<OperationObject> = {};
  const tags = [...new Set(input.tags)];
  if (tags.length > 0) operation.tags = tags;
  const summary = input.summary ?? summaryOf(input.name ?? input.operationId);
  if (summary) operation.summary = summary;
  if (input.description) operation.description = input.description;
  operation.operationId = input.operationId;
  if (input.deprecated) operation.deprecated = true;
  const security = operationSecurity(input.graph);
  if (security.requirements.length > 0) operation.security = security.requirements;
  const parameters = operationParameters(input.sources, input.templateParams, registry);
  if (parameters.length > 0) operation.parameters = parameters;
  const body = input.bodyKind?.document({ schemas: input.bodySchemas, sources: input.sources, operationId: input.operationId, registry });
  if (body) operation.requestBody = body;
  const validates = input.bodySchemas.length > 0 || input.sources.some((s) => s.model !== null || s.parameters.length > 0);
  operation.responses = operationResponses(
    {
      status: input.status,
      response: input.response,
      description: input.responseDescription,
      responses: input.responses,
      validates: input.document422 && validates,
      errors: input.errors,
    },
    input.operationId,
    registry,
  );
  if (input.openapiExtra) deepMerge(operation as Record<string, unknown>, input.openapiExtra);
  return { operation: operation as OperationObject, schemes: security.schemes };
}
