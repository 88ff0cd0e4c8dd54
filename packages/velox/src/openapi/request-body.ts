import type { BodyDocInputs } from "../params/body-kinds/body-kind.ts";
import { bodyShapeKeys, bodyShapeOf } from "../params/body-shape.ts";
import type { AnySchema } from "../schema/types.ts";
import type { SchemaRegistry } from "./schema-registry.ts";
import type { SchemaObject, RequestBodyObject } from "./types.ts";
import { formFields, rejectsUndefined } from "./parameters.ts";

/**
 * The request body of a kind that decodes one value (JSON, or any custom value kind): the `body`
 * schemas of the route and its dependencies under `mediaType` — several are combined with
 * `allOf`, since each validates the same value. Undefined when no schema is declared.
 *
 * @example
 * ```ts
 * valueRequestBody("application/json", { schemas: [ItemIn], sources: [], operationId: "createItem", registry });
 * // { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ItemIn" } } } }
 * ```
 */
export function valueRequestBody(mediaType: string, inputs: BodyDocInputs): RequestBodyObject | undefined {
  const unique = [...new Set(inputs.schemas)];
  if (unique.length === 0) return undefined;
  const shapes = unique.map(bodyShapeOf).filter((s) => s !== undefined);
  const models = unique.filter((s) => bodyShapeOf(s) === undefined);
  const schemas = models.map((s) => inputs.registry.use(s, "input", `Body_${inputs.operationId}`));
  if (shapes.length > 0) schemas.unshift(assembledBody(shapes, inputs.operationId, inputs.registry));
  const schema: SchemaObject = schemas.length === 1 ? schemas[0]! : { allOf: schemas };
  const body: RequestBodyObject = { content: { [mediaType]: { schema } } };
  return unique.some(rejectsUndefined) ? { required: true, ...body } : body;
}

/**
 * The request body of a kind that decodes fields (forms): every `form` parameter of the route
 * and its dependencies gathered into one object named `Body_<operationId>`, as FastAPI does.
 * Undefined when no field is declared.
 *
 * @example
 * ```ts
 * fieldsRequestBody("application/x-www-form-urlencoded", { schemas: [], sources: plan.graph.root.sources, operationId: "login", registry });
 * ```
 */
export function fieldsRequestBody(mediaType: string, inputs: BodyDocInputs): RequestBodyObject | undefined {
  const forms = inputs.sources.filter((s) => s.location === "form");
  if (forms.length === 0) return undefined;
  const { registry, operationId } = inputs;
  const fields = formFields(forms, registry);
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

/** `importance` → `Importance`, `full_name` → `Full Name`: Pydantic's field title. */
const titleOf = (name: string) => name.replace(/_/g, " ").replace(/\b\w/g, (c) => c.toUpperCase());

/**
 * Several body parameters (of the route and its dependencies) as FastAPI's `Body_<operationId>`
 * component: one property per parameter (models by reference, others inline with a title), the
 * required ones listed.
 */
function assembledBody(shapes: readonly Readonly<Record<string, AnySchema>>[], operationId: string, registry: SchemaRegistry): SchemaObject {
  const properties: Record<string, SchemaObject> = {};
  const required: string[] = [];
  for (const shape of shapes) {
    for (const [wire, schema, isRequired] of bodyShapeKeys(shape)) {
      const property = registry.use(schema, "input");
      properties[wire] = typeof property.$ref === "string" || property.title !== undefined ? property : { ...property, title: titleOf(wire) };
      if (isRequired && !required.includes(wire)) required.push(wire);
    }
  }
  const title = `Body_${operationId}`;
  const object: SchemaObject = { properties, type: "object", ...(required.length > 0 ? { required } : {}), title };
  return registry.defineAssembled(title, object);
}
