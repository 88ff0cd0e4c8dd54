import { createRequire } from "node:module";
import type { JsonSchema, JsonSchemaAdapter } from "../json-schema.ts";

type Convert = (schema: unknown, config: Record<string, unknown>) => JsonSchema;

const PACKAGE = "@valibot/to-json-schema";
let convert: Convert | null | undefined;

/**
 * Loads `@valibot/to-json-schema` the first time a Valibot schema needs describing: it is an
 * optional peer dependency, so apps that never use Valibot never load (or install) it. Without it
 * Valibot schemas still validate, but query/path/header/cookie strings are not coerced and OpenAPI
 * has no schema for them, so Node prints one warning saying what to install.
 */
function converter(): Convert | null {
  if (convert !== undefined) return convert;
  try {
    const require = createRequire(import.meta.url);
    convert = (require(PACKAGE) as { toJsonSchema: Convert }).toJsonSchema;
  } catch {
    convert = null;
    process.emitWarning(`Velox: install ${PACKAGE} to coerce parameters and document Valibot schemas`, { code: "VELOX_VALIBOT_JSON_SCHEMA" });
  }
  return convert;
}

/**
 * Describes a Valibot schema as JSON Schema draft 2020-12 for requests (`input`) or responses
 * (`output`). Parts JSON Schema cannot express (transforms, custom checks) are left out rather than
 * failing, since validation still runs them.
 *
 * @example
 * ```ts
 * valibotJsonSchema(v.pipe(v.number(), v.integer()), "input"); // { type: "integer", ... }
 * ```
 */
export const valibotJsonSchema: JsonSchemaAdapter = (schema, mode) => {
  const toJsonSchema = converter();
  if (!toJsonSchema) return undefined;
  return toJsonSchema(schema, { target: "draft-2020-12", typeMode: mode, errorMode: "ignore" });
};
