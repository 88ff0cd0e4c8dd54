import type { StandardSchemaV1 } from "@standard-schema/spec";

/** Any Standard Schema (Zod 4, Valibot, ArkType, ...). */
export type AnySchema = StandardSchemaV1<any, any>;

/** The validated (output) type of a schema. */
export type Infer<S> = S extends StandardSchemaV1<any, infer O> ? O : never;

/** The accepted (input) type of a schema. */
export type InferInput<S> = S extends StandardSchemaV1<infer I, any> ? I : never;

/** Named parameters, one schema each: `{ id: z.int(), q: z.string().optional() }`. */
export type SchemaShape = { readonly [name: string]: AnySchema };

/** A parameter source is either one object schema or a shape of per-parameter schemas. */
export type ParamSpec = AnySchema | SchemaShape;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type OptionalKeys<S extends SchemaShape> = { [K in keyof S]: undefined extends Infer<S[K]> ? K : never }[keyof S];
type RequiredKeys<S extends SchemaShape> = Exclude<keyof S, OptionalKeys<S>>;

/** The validated object a parameter source produces. */
export type InferParams<P> = P extends AnySchema
  ? Infer<P>
  : P extends SchemaShape
    ? Simplify<{ [K in RequiredKeys<P>]: Infer<P[K]> } & { [K in OptionalKeys<P>]?: Infer<P[K]> }>
    : {};

/** True when a value is a Standard Schema. */
export function isSchema(value: unknown): value is AnySchema {
  return (typeof value === "object" || typeof value === "function") && value !== null && "~standard" in value;
}
