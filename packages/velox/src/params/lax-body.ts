import type { ErrorDetail } from "../http-exception.ts";
import { toJsonSchema } from "../schema/json-schema.ts";
import { compileLaxCoercer, originalAt, type LaxCoercer } from "../schema/lax.ts";
import type { Checked, ValidateFn } from "../schema/validator.ts";
import { paramOptions } from "./param.ts";
import type { InputNode } from "./extract-inputs.ts";

/** Errors about converted values echo what the client sent, as Pydantic's do. */
function restoreInputs(errors: ErrorDetail[], original: unknown): ErrorDetail[] {
  for (const detail of errors) {
    if (detail.type === "missing" || detail.loc[0] !== "body") continue;
    const sent = originalAt(original, detail.loc.slice(1));
    if (sent !== undefined && typeof sent !== "object") detail.input = sent;
  }
  return errors;
}

function shapeCoercer(shape: Readonly<Record<string, unknown>>): LaxCoercer | null {
  const keys: [string, LaxCoercer][] = [];
  for (const [key, schema] of Object.entries(shape)) {
    const coerce = compileLaxCoercer(toJsonSchema(schema as never, "input"));
    if (coerce !== null) keys.push([paramOptions(schema)?.alias ?? key, coerce]);
  }
  if (keys.length === 0) return null;
  return (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
    const source = value as Record<string, unknown>;
    let out: Record<string, unknown> | null = null;
    for (const [key, coerce] of keys) {
      if (!Object.hasOwn(source, key)) continue;
      const next = coerce(source[key]);
      if (next !== source[key]) (out ??= { ...source })[key] = next;
    }
    return out ?? value;
  };
}

/**
 * A dependant's body validator under `compat: "fastapi"`: Pydantic's lax conversions (see
 * `schema/lax.ts`) compiled from the body's JSON Schema, applied before validation; errors keep
 * the client's own values. Null when the body needs no conversion (strings only, no body).
 *
 * @example
 * ```ts
 * const lax = laxBodyValidator(graph.root);
 * if (lax !== null) graph.root.body = lax;
 * ```
 */
export function laxBodyValidator(node: InputNode): ValidateFn | null {
  const validate = node.body;
  if (validate === null) return null;
  const coerce = node.bodyShape !== null ? shapeCoercer(node.bodyShape) : node.bodySchema !== null ? compileLaxCoercer(toJsonSchema(node.bodySchema, "input")) : null;
  if (coerce === null) return null;
  const settle = (checked: Checked, original: unknown): Checked => (checked.errors === null ? checked : { value: undefined, errors: restoreInputs(checked.errors, original) });
  return (value, prefix) => {
    const converted = coerce(value);
    const checked = validate(converted, prefix);
    if (converted === value) return checked;
    return checked instanceof Promise ? checked.then((c) => settle(c, value)) : settle(checked, value);
  };
}
