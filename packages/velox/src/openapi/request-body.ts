import type { SourceExtractor } from "../params/extract.ts";
import type { AnySchema } from "../schema/types.ts";
import { formFields, rejectsUndefined } from "./parameters.ts";
import type { SchemaRegistry } from "./schema-registry.ts";
import type { RequestBodyObject, SchemaObject } from "./types.ts";


/**
 * What an operation reads from the request body.
 *
 * @example
 * ```ts
 * requestBody({ json: [ItemIn], sources: [] } satisfies BodyInputs, "createItem", registry);
 * ```
 */
export interface BodyInputs {
  /** JSON body schemas of the route and its dependencies (each validates the whole body). */
  json: readonly AnySchema[];
  /** All parameter sources of the route and its dependencies (form fields are picked out). */
  sources: readonly SourceExtractor[];
  /** The media type of form fields: URL-encoded today, `multipart/form-data` once files are involved. */
  formMediaType?: string;
}

/**
 * The Request Body Object of an operation: a JSON body (several schemas — route and dependencies —
 * are combined with `allOf`, since each validates the same body), or form fields gathered into one
 * object named `Body_<operationId>` like FastAPI's. `undefined` when the operation reads no body.
 *
 * @example
 * ```ts
 * requestBody({ json: [ItemIn], sources: [] }, "createItem", registry);
 * // { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ItemIn" } } } }
 * ```
 */
export function requestBody(inputs: BodyInputs, operationId: string, registry: SchemaRegistry): RequestBodyObject | undefined {
  const json = [...new Set(inputs.json)];
  if (json.length > 0) {
    const schemas = json.map((s) => registry.use(s, "input", `Body_${operationId}`));
    const schema: SchemaObject = schemas.length === 1 ? schemas[0]! : { allOf: schemas };
    const body: RequestBodyObject = { content: { "application/json": { schema } } };
    if (json.some(rejectsUndefined)) return { required: true, ...body };
    return body;
  }
  const forms = inputs.sources.filter((s) => s.location === "form");
  if (forms.length === 0) return undefined;
  const fields = formFields(forms, registry);
  const mediaType = inputs.formMediaType ?? "application/x-www-form-urlencoded";
  let schema: SchemaObject;
  if (forms.length === 1 && fields.models.length === 1) {
    schema = registry.use(fields.models[0]!.model!, "input", `Body_${operationId}`);
  } else {
    const object: SchemaObject = { type: "object", properties: fields.properties, title: `Body_${operationId}` };
    if (fields.required.length > 0) object.required = fields.required;
    schema = registry.defineAssembled(`Body_${operationId}`, object);
  }
  const body: RequestBodyObject = { content: { [mediaType]: { schema } } };
  return fields.required.length > 0 ? { required: true, ...body } : body;
}
