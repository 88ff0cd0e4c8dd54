import { VeloxError } from "../errors.ts";
import { isSchema, type AnySchema } from "../schema/types.ts";

/** Per-parameter options, as FastAPI's `Query(...)`, `Header(...)`, `Cookie(...)`, `Body(...)` arguments. */
export interface ParamOptions {
  /** The name on the wire when it differs from the key (`alias="item-query"`). */
  alias?: string;
  /** Headers only: `false` reads `x_token` from a header literally named `x_token`, not `x-token` (FastAPI's `convert_underscores=False`). */
  convertUnderscores?: boolean;
  /** `false` leaves the parameter out of OpenAPI; it is still read and validated (FastAPI's `include_in_schema=False`). */
  includeInSchema?: boolean;
  /** Documented as deprecated. */
  deprecated?: boolean;
  /** The parameter's description in OpenAPI. */
  description?: string;
}

const OPTIONS = new WeakMap<object, Readonly<ParamOptions>>();
const KEYS = new Set(["alias", "convertUnderscores", "includeInSchema", "deprecated", "description"]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Attaches parameter options to a schema. The result is the same schema for validation and
 * types (it delegates to it), carrying the options for extraction and OpenAPI.
 *
 * @example
 * ```ts
 * import { param } from "velox";
 * app.get("/items", {
 *   headers: { strange_header: param(z.string().optional(), { convertUnderscores: false }) },
 *   query: { debug: param(z.boolean().default(false), { includeInSchema: false }), q: param(z.string().optional(), { alias: "item-query" }) },
 * }, ({ headers, query }) => ({ headers, query }));
 * ```
 */
export function param<S extends AnySchema>(schema: S, options: ParamOptions): S {
  if (!isSchema(schema)) throw new VeloxError("VX_NOT_A_SCHEMA", "param(): the first argument must be a Standard Schema (Zod, Valibot, ArkType...)");
  if (typeof options !== "object" || options === null) throw new VeloxError("VX_INVALID_OPTION", "param(): options must be an object");
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) throw new VeloxError("VX_UNKNOWN_OPTION", `param(): unknown option "${key}"`);
  }
  if (options.alias !== undefined && (typeof options.alias !== "string" || options.alias === "")) throw new VeloxError("VX_INVALID_OPTION", "param(): alias must be a non-empty string");
  for (const key of ["convertUnderscores", "includeInSchema", "deprecated"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "boolean") throw new VeloxError("VX_INVALID_OPTION", `param(): ${key} must be a boolean`);
  }
  const wrapped = Object.create(schema) as S;
  OPTIONS.set(wrapped, Object.freeze({ ...(paramOptions(schema) ?? {}), ...options }));
  return wrapped;
}

/**
 * The options {@link param} attached to a schema, or undefined.
 *
 * @example
 * ```ts
 * paramOptions(param(z.string(), { alias: "q" }))?.alias; // "q"
 * ```
 */
export function paramOptions(schema: unknown): Readonly<ParamOptions> | undefined {
  return typeof schema === "object" && schema !== null ? OPTIONS.get(schema) : typeof schema === "function" ? OPTIONS.get(schema) : undefined;
}

/**
 * The wire name of a declared parameter: its alias, else for headers FastAPI's conversion
 * (`x_token` → `x-token`, unless `convertUnderscores: false`), lower-cased; else the key.
 *
 * @example
 * ```ts
 * wireName("header", "strange_header", param(z.string(), { convertUnderscores: false }), headerName); // "strange_header"
 * ```
 */
export function wireName(location: string, name: string, schema: unknown, convert: (name: string) => string): string {
  const options = paramOptions(schema);
  const alias = options?.alias;
  if (location === "header") {
    const wire = alias !== undefined ? alias.toLowerCase() : options?.convertUnderscores === false ? name.toLowerCase() : convert(name);
    if (!TOKEN.test(wire)) throw new VeloxError("VX_INVALID_OPTION", `header parameter "${name}" reads "${wire}", which is not a header name`);
    return wire;
  }
  return alias ?? name;
}
