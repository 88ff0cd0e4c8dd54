import type { IncomingMessage } from "node:http";
import type { ErrorDetail } from "../http-exception.ts";
import { coercerFor, isArraySchema, objectCoercers, withWireInputs, type Coercer } from "../schema/coerce.ts";
import { toJsonSchema } from "../schema/json-schema.ts";
import { isSchema, type AnySchema, type ParamSpec } from "../schema/types.ts";
import { compileValidator, type Checked, type ValidateFn } from "../schema/validator.ts";
import { locationRow, type ParamLocation, type SpecKey } from "./locations.ts";
import type { RawSource } from "./raw-inputs.ts";
import { wireName } from "./param.ts";
import { headerName } from "./wire-name.ts";

export type { ParamLocation } from "./locations.ts";
export type { RawSource } from "./raw-inputs.ts";

/** The result of extracting one source: the validated object, or the errors. */
export interface Extracted {
  value: Record<string, unknown>;
  errors: ErrorDetail[] | null;
}

/** A compiled extractor: coerces and validates every parameter of one source. */
export interface SourceExtractor {
  location: ParamLocation;
  /** The context key its validated object is stored under (`headers` for `header`). */
  key: SpecKey;
  /** Documented parameters (name on the wire → schema), for OpenAPI. */
  parameters: { name: string; wire: string; schema: AnySchema; required: boolean }[];
  /** The whole-object schema when the source was declared as one model. */
  model: AnySchema | null;
  run(source: RawSource, req: IncomingMessage): Extracted | Promise<Extracted>;
}

interface Entry {
  name: string;
  wire: string;
  array: boolean;
  coerce: Coercer;
  validate: ValidateFn;
  prefix: (string | number)[];
}

/** Every value of a repeated header (node's `headersDistinct`; injected requests may lack it). */
function distinctHeader(req: IncomingMessage, name: string): string[] | undefined {
  const distinct = (req as { headersDistinct?: Record<string, string[] | undefined> }).headersDistinct;
  if (distinct) return distinct[name];
  const value = req.headers[name];
  return value === undefined ? undefined : Array.isArray(value) ? value : [value];
}

const label = (location: ParamLocation): string => locationRow(location).errorLabel;

function wireOf(location: ParamLocation, name: string, schema?: unknown): string {
  return wireName(location, name, schema, headerName);
}

/** Required unless the schema accepts a missing value (optional, default). */
function isRequired(schema: AnySchema): boolean {
  const result = schema["~standard"].validate(undefined);
  return result instanceof Promise || result.issues !== undefined;
}

function fromShape(location: ParamLocation, shape: Record<string, AnySchema>, optimize: boolean): SourceExtractor {
  const entries: Entry[] = Object.entries(shape).map(([name, schema]) => {
    const json = toJsonSchema(schema, "input");
    const wire = wireOf(location, name, schema);
    return {
      name,
      wire,
      array: isArraySchema(json),
      coerce: coercerFor(json),
      validate: compileValidator(schema, optimize),
      prefix: [label(location), wire],
    };
  });
  const headerArrays = location === "header" && entries.some((e) => e.array);
  const run = (source: RawSource, req: IncomingMessage): Extracted | Promise<Extracted> => {
    const value: Record<string, unknown> = {};
    let errors: ErrorDetail[] | null = null;
    let pending: Promise<void>[] | null = null;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const raw = headerArrays && entry.array ? distinctHeader(req, entry.wire) : source[entry.wire];
      const checked = entry.validate(entry.coerce(raw), entry.prefix);
      if (checked instanceof Promise) {
        (pending ??= []).push(checked.then((c) => {
          if (c.errors) (errors ??= []).push(...withWireInputs(c.errors, () => raw));
          else if (c.value !== undefined) value[entry.name] = c.value;
        }));
      } else if (checked.errors) (errors ??= []).push(...withWireInputs(checked.errors, () => raw));
      else if (checked.value !== undefined) value[entry.name] = checked.value;
    }
    if (pending) return Promise.all(pending).then(() => ({ value, errors }));
    return { value, errors };
  };
  return {
    location,
    key: locationRow(location).specKey,
    parameters: Object.entries(shape).map(([name, schema]) => ({ name, wire: wireOf(location, name, schema), schema, required: isRequired(schema) })),
    model: null,
    run,
  };
}

function fromModel(location: ParamLocation, schema: AnySchema, optimize: boolean): SourceExtractor {
  const json = toJsonSchema(schema, "input");
  const { properties, arrays } = objectCoercers(json);
  const validate = compileValidator(schema, optimize);
  const prefix = [label(location)];
  const declared = [...properties.keys()].map((name) => ({ name, wire: wireOf(location, name) }));
  const strict = json?.additionalProperties === false;
  const processed = new Set(declared.flatMap(({ name, wire }) => [name, wire]));
  const passThrough: Coercer = (raw) => raw;
  const settle = (c: Checked, source: RawSource): Extracted =>
    c.errors
      ? { value: {}, errors: withWireInputs(c.errors, (name) => source[wireOf(location, String(name))]) }
      : { value: c.value as Record<string, unknown>, errors: null };
  const run = (source: RawSource, req: IncomingMessage): Extracted | Promise<Extracted> => {
    const input: Record<string, unknown> = {};
    if (location === "header") {
      for (const { name, wire } of declared) {
        const raw = arrays.has(name) ? distinctHeader(req, wire) : source[wire];
        if (raw !== undefined) input[name] = properties.get(name)!(raw);
      }
      // A model that forbids extra fields sees every other header too, as FastAPI passes them.
      if (strict) for (const key in source) if (!processed.has(key)) input[key] = source[key];
    } else {
      for (const key in source) {
        if (key === "__proto__") continue;
        input[key] = (properties.get(key) ?? passThrough)(source[key]);
      }
    }
    const checked = validate(input, prefix);
    return checked instanceof Promise ? checked.then((c) => settle(c, source)) : settle(checked, source);
  };
  const required = new Set<string>(json?.required ?? []);
  return {
    location,
    key: locationRow(location).specKey,
    parameters: declared.map(({ name, wire }) => ({
      name,
      wire,
      schema: schema,
      required: required.has(name),
    })),
    model: schema,
    run,
  };
}

/**
 * Compiles a parameter source (`query`, `headers`, ...) declared either as a shape of schemas or as
 * one object schema into an extractor. Analysis happens here, once; `run` only executes.
 */
export function compileSource(location: ParamLocation, spec: ParamSpec, optimize: boolean): SourceExtractor {
  return isSchema(spec) ? fromModel(location, spec, optimize) : fromShape(location, spec as Record<string, AnySchema>, optimize);
}
