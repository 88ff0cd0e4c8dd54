import type { ErrorDetail } from "../http-exception.ts";
import { pydantic } from "../schema/errors/pydantic.ts";
import type { AnySchema } from "../schema/types.ts";
import { compileValidator, type Checked, type ValidateFn } from "../schema/validator.ts";
import { paramOptions } from "./param.ts";

interface Entry {
  key: string;
  wire: string;
  validate: ValidateFn;
  required: boolean;
}

function rejectsMissing(schema: AnySchema): boolean {
  const result = schema["~standard"].validate(undefined);
  return result instanceof Promise || result.issues !== undefined;
}

/**
 * Several body parameters, as FastAPI's `item: Item, user: User, importance: int = Body()` or a
 * single `Body(embed=True)`: the JSON body is an object with one key per parameter (its alias,
 * when `param()` gives one), each validated by its own schema with errors at `["body", key, …]`.
 * A body that is missing, not an object, or lacks a key reports each required parameter as
 * `missing` at `["body", key]` with input `null` — FastAPI's exact answer. Keys the route does not
 * declare are ignored, as FastAPI does. Compiled once per route.
 *
 * @example
 * ```ts
 * const validate = compileBodyShape({ item: Item, user: User, importance: z.int() }, true);
 * validate({ item: {...}, user: {...}, importance: 5 }, ["body"]); // { value: { item, user, importance }, errors: null }
 * ```
 */
export function compileBodyShape(shape: Readonly<Record<string, AnySchema>>, optimize: boolean): ValidateFn {
  const entries: Entry[] = Object.entries(shape).map(([key, schema]) => ({
    key,
    wire: paramOptions(schema)?.alias ?? key,
    validate: compileValidator(schema, optimize),
    required: rejectsMissing(schema),
  }));
  return (body, prefix) => {
    const object = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
    const value: Record<string, unknown> = {};
    let errors: ErrorDetail[] | null = null;
    let pending: Promise<void>[] | null = null;
    const settle = (entry: Entry, checked: Checked) => {
      if (checked.errors) (errors ??= []).push(...checked.errors);
      else if (checked.value !== undefined) value[entry.key] = checked.value;
    };
    for (const entry of entries) {
      const raw = object !== null && Object.hasOwn(object, entry.wire) ? object[entry.wire] : undefined;
      if (raw === undefined && entry.required) {
        (errors ??= []).push(pydantic.missing([...prefix, entry.wire], null));
        continue;
      }
      const checked = entry.validate(raw, [...prefix, entry.wire]);
      if (checked instanceof Promise) (pending ??= []).push(checked.then((c) => settle(entry, c)));
      else settle(entry, checked);
    }
    const done = (): Checked => (errors !== null ? { value: undefined, errors } : { value, errors: null });
    return pending !== null ? Promise.all(pending).then(done) : done();
  };
}

/**
 * The body schema of several parameters for OpenAPI and lax coercion: an object with one property
 * per parameter, all required ones listed (FastAPI's `Body_<operationId>` component).
 *
 * @example
 * ```ts
 * bodyShapeKeys({ item: Item, importance: z.int().optional() }); // [["item", true], ["importance", false]]
 * ```
 */
export function bodyShapeKeys(shape: Readonly<Record<string, AnySchema>>): [wire: string, schema: AnySchema, required: boolean][] {
  return Object.entries(shape).map(([key, schema]) => [paramOptions(schema)?.alias ?? key, schema, rejectsMissing(schema)]);
}

const SHAPES = new WeakMap<object, Readonly<Record<string, AnySchema>>>();
const SCHEMAS = new WeakMap<object, AnySchema>();

/**
 * Several body parameters as one Standard Schema (validation as {@link compileBodyShape}), so the
 * rest of Velox — required-ness, OpenAPI, dependencies reading the same body — sees one body
 * schema; {@link bodyShapeOf} gives the parameters back for the `Body_<operationId>` component.
 *
 * @example
 * ```ts
 * const schema = bodyShapeSchema({ item: Item, importance: z.int() });
 * bodyShapeOf(schema); // { item: Item, importance: ... }
 * ```
 */
export function bodyShapeSchema(shape: Readonly<Record<string, AnySchema>>): AnySchema {
  const known = SCHEMAS.get(shape);
  if (known !== undefined) return known;
  const validate = compileBodyShape(shape, false);
  const toResult = (checked: Checked) =>
    checked.errors === null ? { value: checked.value } : { issues: checked.errors.map((e) => ({ message: e.msg, path: e.loc.slice(1) })) };
  const schema = {
    "~standard": {
      version: 1,
      vendor: "velox",
      validate: (value: unknown) => {
        const checked = validate(value, ["body"]);
        return checked instanceof Promise ? checked.then(toResult) : toResult(checked);
      },
    },
  } as unknown as AnySchema;
  SHAPES.set(schema, shape);
  SCHEMAS.set(shape, schema);
  return schema;
}

/**
 * The parameters behind a {@link bodyShapeSchema}, or undefined for any other schema.
 *
 * @example
 * ```ts
 * bodyShapeOf(z.object({})); // undefined
 * ```
 */
export function bodyShapeOf(schema: AnySchema): Readonly<Record<string, AnySchema>> | undefined {
  return SHAPES.get(schema);
}
