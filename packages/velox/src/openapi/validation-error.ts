import type { SchemaRegistry } from "./schema-registry.ts";
import type { ResponseObject, SchemaObject } from "./types.ts";

/**
 * The app's error contract (`VeloxOptions.errorFormat`): FastAPI's bodies or RFC 9457 problem details.
 *
 * @example
 * ```ts
 * validationErrorResponse("problem" satisfies ErrorContract, registry);
 * ```
 */
export type ErrorContract = "fastapi" | "problem";

/**
 * FastAPI's `ValidationError` component, property for property.
 *
 * @example
 * ```ts
 * registry.define("ValidationError", structuredClone(VALIDATION_ERROR));
 * ```
 */
export const VALIDATION_ERROR: SchemaObject = Object.freeze({
  properties: {
    loc: { items: { anyOf: [{ type: "string" }, { type: "integer" }] }, type: "array", title: "Location" },
    msg: { type: "string", title: "Message" },
    type: { type: "string", title: "Error Type" },
    input: { title: "Input" },
    ctx: { type: "object", title: "Context" },
  },
  type: "object",
  required: ["loc", "msg", "type"],
  title: "ValidationError",
});

/**
 * FastAPI's `HTTPValidationError` component: the 422 body.
 *
 * @example
 * ```ts
 * registry.define("HTTPValidationError", structuredClone(HTTP_VALIDATION_ERROR));
 * ```
 */
export const HTTP_VALIDATION_ERROR: SchemaObject = Object.freeze({
  properties: {
    detail: { items: { $ref: "#/components/schemas/ValidationError" }, type: "array", title: "Detail" },
  },
  type: "object",
  title: "HTTPValidationError",
});

/**
 * The 422 body of the `problem` contract: RFC 9457 fields plus the same errors under `errors`.
 *
 * @example
 * ```ts
 * registry.define("HTTPValidationProblem", structuredClone(HTTP_VALIDATION_PROBLEM));
 * ```
 */
export const HTTP_VALIDATION_PROBLEM: SchemaObject = Object.freeze({
  properties: {
    type: { type: "string", title: "Type" },
    title: { type: "string", title: "Title" },
    status: { type: "integer", title: "Status" },
    detail: { type: "string", title: "Detail" },
    instance: { type: "string", title: "Instance" },
    errors: { items: { $ref: "#/components/schemas/ValidationError" }, type: "array", title: "Errors" },
  },
  type: "object",
  required: ["type", "title", "status"],
  title: "HTTPValidationProblem",
});

/**
 * The documented 422 response, registering its components: FastAPI's `HTTPValidationError` and
 * `ValidationError` for the default contract, `HTTPValidationProblem` as
 * `application/problem+json` for the `problem` contract.
 *
 * @example
 * ```ts
 * validationErrorResponse("fastapi", registry);
 * // { description: "Validation Error", content: { "application/json": { schema: { $ref: "#/components/schemas/HTTPValidationError" } } } }
 * ```
 */
export function validationErrorResponse(contract: ErrorContract, registry: SchemaRegistry): ResponseObject {
  registry.define("ValidationError", structuredClone(VALIDATION_ERROR));
  if (contract === "problem") {
    const schema = registry.define("HTTPValidationProblem", structuredClone(HTTP_VALIDATION_PROBLEM));
    return { description: "Validation Error", content: { "application/problem+json": { schema } } };
  }
  const schema = registry.define("HTTPValidationError", structuredClone(HTTP_VALIDATION_ERROR));
  return { description: "Validation Error", content: { "application/json": { schema } } };
}
