import type { ResponseSpec } from "../route-types.ts";
import { isStreamSpec, type StreamSpec } from "../responses/stream-spec.ts";
import { isSchema, type AnySchema } from "../schema/types.ts";
import { isBodylessStatus, statusText } from "../status.ts";
import type { SchemaRegistry } from "./schema-registry.ts";
import type { ResponseObject, SchemaObject } from "./types.ts";
import { validationErrorResponse, type ErrorContract } from "./validation-error.ts";

/**
 * What an operation documents about its answers.
 *
 * @example
 * ```ts
 * operationResponses({ status: 200, response: Item, description: undefined, responses: [], validates: false, errors: "fastapi" } satisfies ResponseInputs, "readItem", registry);
 * ```
 */
export interface ResponseInputs {
  /** The success status (the route's `status`, 200 by default). */
  status: number;
  /** The response model, or the item stream of an `sse()`/`jsonl()` route. */
  response: AnySchema | StreamSpec | undefined;
  /** Description of the success response (default "Successful Response"). */
  description: string | undefined;
  /** Documented responses by status: router-level first, then the route's own (later wins). */
  responses: readonly Record<string | number, AnySchema | ResponseSpec>[];
  /** The operation validates something, so it can answer 422. */
  validates: boolean;
  /** How validation errors are written. */
  errors: ErrorContract;
}

const RANGES: Record<string, string> = {
  "1XX": "Information",
  "2XX": "Success",
  "3XX": "Redirection",
  "4XX": "Client Error",
  "5XX": "Server Error",
  DEFAULT: "Default Response",
};

function statusKey(code: string | number): string {
  const key = String(code).toUpperCase();
  return key === "DEFAULT" ? "default" : key;
}

function defaultDescription(key: string): string {
  const range = RANGES[key.toUpperCase()];
  if (range) return range;
  const text = statusText(Number(key));
  return text === "Unknown" ? "Additional Response" : text;
}

function headersOf(spec: ResponseSpec): ResponseObject["headers"] | undefined {
  if (!spec.headers) return undefined;
  const headers: NonNullable<ResponseObject["headers"]> = {};
  for (const [name, header] of Object.entries(spec.headers)) {
    headers[name] = { ...header, schema: header.schema ?? { type: "string" } };
  }
  return headers;
}

/**
 * The content of a streamed response. OpenAPI 3.1 has no per-item schema (3.2's `itemSchema`,
 * which FastAPI writes), so `schema` describes one item: one JSON line, or — for SSE — one event
 * whose `data` is the item as JSON, FastAPI's event schema.
 */
function streamContent(spec: StreamSpec, registry: SchemaRegistry, hint: string): ResponseObject["content"] {
  const item: SchemaObject = spec.schema ? registry.use(spec.schema, "output", hint) : {};
  if (spec["~stream"] === "jsonl") return { "application/jsonl": { schema: item } };
  const data: SchemaObject = spec.schema ? { type: "string", contentMediaType: "application/json", contentSchema: item } : { type: "string" };
  const event: SchemaObject = {
    type: "object",
    properties: { data, event: { type: "string" }, id: { type: "string" }, retry: { type: "integer", minimum: 0 } },
  };
  if (spec.schema) event.required = ["data"];
  return { "text/event-stream": { schema: event } };
}

function contentFor(key: string, schema: SchemaObject | undefined, contentType: string | undefined): ResponseObject["content"] | undefined {
  if (/^\d+$/.test(key) && isBodylessStatus(Number(key))) return undefined;
  const mediaType = contentType ?? "application/json";
  if (schema === undefined) return contentType === undefined ? undefined : { [mediaType]: {} };
  return { [mediaType]: { schema } };
}

/**
 * The Responses Object of an operation: the success response with its model (or `{}` when the
 * route has none, like FastAPI), every documented status, and 422 with `HTTPValidationError` when
 * the operation validates input and no 422, 4XX or default response is documented.
 *
 * @example
 * ```ts
 * operationResponses({ status: 201, response: Item, description: undefined, responses: [{ 404: Message }], validates: true, errors: "fastapi" }, "createItem", registry);
 * // { "201": { description: "Successful Response", content: ... }, "404": { description: "Not Found", ... }, "422": { ... } }
 * ```
 */
export function operationResponses(inputs: ResponseInputs, operationId: string, registry: SchemaRegistry): Record<string, ResponseObject> {
  const merged: Record<string, AnySchema | ResponseSpec> = {};
  for (const layer of inputs.responses) for (const [code, entry] of Object.entries(layer)) merged[statusKey(code)] = entry;
  const hint = (key: string) => `${operationId}_${key}_Response`;
  const out: Record<string, ResponseObject> = {};
  const main = String(inputs.status);
  const mainSpec = merged[main];
  const spec: ResponseSpec = mainSpec === undefined ? {} : isSchema(mainSpec) ? { schema: mainSpec } : mainSpec;
  const stream = isStreamSpec(inputs.response) ? inputs.response : null;
  const mainModel = (stream === null ? (inputs.response as AnySchema | undefined) : undefined) ?? spec.schema;
  const mainSchema = mainModel ? registry.use(mainModel, "output", hint(main)) : {};
  const success: ResponseObject = { description: inputs.description ?? spec.description ?? "Successful Response" };
  const mainContent = stream === null ? contentFor(main, mainSchema, spec.contentType) : streamContent(stream, registry, hint(main));
  if (mainContent) success.content = mainContent;
  const mainHeaders = headersOf(spec);
  if (mainHeaders) success.headers = mainHeaders;
  out[main] = success;
  for (const [key, entry] of Object.entries(merged)) {
    if (key === main) continue;
    const extra: ResponseSpec = isSchema(entry) ? { schema: entry } : entry;
    const response: ResponseObject = { description: extra.description ?? defaultDescription(key) };
    const schema = extra.schema ? registry.use(extra.schema, "output", hint(key)) : undefined;
    const content = contentFor(key, schema, extra.contentType);
    if (content) response.content = content;
    const headers = headersOf(extra);
    if (headers) response.headers = headers;
    out[key] = response;
  }
  if (inputs.validates && !("422" in out) && !("4XX" in out) && !("default" in out)) {
    out["422"] = validationErrorResponse(inputs.errors, registry);
  }
  return out;
}
