import type { StandardJSONSchemaV1, StandardSchemaV1 } from "@standard-schema/spec";
import { coerceEnvValue } from "./coerce.ts";
import { envName } from "./env-name.ts";
import { readEnvSource, type EnvSourceOptions } from "./env-source.ts";
import type { JsonSchema } from "./json-types.ts";
import { SettingsError, type SettingsIssue } from "./settings-error.ts";

/** A record of field name → Standard Schema, the lighter way to declare settings. */
export type SettingsShape = Record<string, StandardSchemaV1>;

/** The settings object `defineSettings` returns for a shape or an object schema. */
export type InferSettings<S> = S extends StandardSchemaV1
  ? Readonly<StandardSchemaV1.InferOutput<S>>
  : S extends SettingsShape
    ? { readonly [K in keyof S]: StandardSchemaV1.InferOutput<S[K]> }
    : never;

/** Options for `defineSettings`. */
export interface SettingsOptions extends EnvSourceOptions {
  /** Prepended to every variable name: with `"APP_"`, field `jwt_secret` reads `APP_JWT_SECRET`. */
  prefix?: string;
}

interface Field {
  name: string;
  variable: string;
  raw: string | undefined;
  value: unknown;
  problem?: string;
}

/**
 * Reads settings from the environment (and a `.env` file beneath it), coerces each string to the
 * JSON type of its field, validates through the Standard Schema interface, and returns a frozen,
 * fully typed object. Every missing or invalid variable is reported in one `SettingsError`;
 * values never appear in it. Field `jwt_secret` (or `jwtSecret`) reads variable `JWT_SECRET`.
 *
 * Accepts a record of field schemas, or one object schema that exposes Standard JSON Schema
 * (Zod 4, ArkType, Valibot via `toStandardJsonSchema`) so its field names and types are known.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { defineSettings } from "velox/settings";
 *
 * export const settings = defineSettings({
 *   port: z.int().min(1).max(65535).default(8000),
 *   debug: z.boolean().default(false),
 *   jwt_secret: z.string().min(32),
 *   allowed_hosts: z.array(z.string()).default([]),
 * }, { prefix: "APP_" });
 * // APP_PORT=9000 APP_DEBUG=yes APP_JWT_SECRET=… APP_ALLOWED_HOSTS=a.example,b.example
 * settings.port; // number
 * ```
 */
export function defineSettings<S extends StandardSchemaV1>(schema: S, options?: SettingsOptions): InferSettings<S>;
export function defineSettings<S extends SettingsShape>(shape: S, options?: SettingsOptions): InferSettings<S>;
export function defineSettings(schemaOrShape: StandardSchemaV1 | SettingsShape, options: SettingsOptions = {}): unknown {
  const env = readEnvSource(options);
  const prefix = options.prefix ?? "";
  const settings = isStandardSchema(schemaOrShape)
    ? fromObjectSchema(schemaOrShape, env, prefix)
    : fromShape(schemaOrShape, env, prefix);
  return Object.freeze(settings);
}

function fromShape(shape: SettingsShape, env: Record<string, string | undefined>, prefix: string): Record<string, unknown> {
  const issues: SettingsIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(shape)) {
    const json = inputJsonSchema(schema);
    const field = readField(name, prefix, env, json, json);
    if (field.problem !== undefined) {
      issues.push({ variable: field.variable, field: name, problem: field.problem });
      continue;
    }
    const result = validateSync(schema, field.value);
    if (result.issues) issues.push(...result.issues.map((issue) => toSettingsIssue(issue, [name], [field])));
    else out[name] = result.value;
  }
  if (issues.length > 0) throw new SettingsError(issues);
  return out;
}

function fromObjectSchema(schema: StandardSchemaV1, env: Record<string, string | undefined>, prefix: string): Record<string, unknown> {
  const json = inputJsonSchema(schema);
  if (!json?.properties) {
    throw new TypeError(
      "defineSettings: this schema does not expose Standard JSON Schema (~standard.jsonSchema), so its " +
        "fields are unknown. Pass a record of field schemas instead, e.g. defineSettings({ port: schema }).",
    );
  }
  const fields = Object.entries(json.properties).map(([name, sub]) => readField(name, prefix, env, sub, json));
  const input: Record<string, unknown> = {};
  for (const field of fields) if (field.value !== undefined) input[field.name] = field.value;
  const result = validateSync(schema, input);
  const issues: SettingsIssue[] = fields
    .filter((field) => field.problem !== undefined)
    .map((field) => ({ variable: field.variable, field: field.name, problem: field.problem ?? "" }));
  const coercionFailed = new Set(issues.map((issue) => issue.field));
  for (const issue of result.issues ?? []) {
    const mapped = toSettingsIssue(issue, [], fields);
    if (!coercionFailed.has(mapped.field)) issues.push(mapped);
  }
  if (issues.length > 0 || result.issues) throw new SettingsError(issues);
  return result.value as Record<string, unknown>;
}

function readField(name: string, prefix: string, env: Record<string, string | undefined>, json: JsonSchema | undefined, root: JsonSchema | undefined): Field {
  const variable = envName(name, prefix);
  const raw = env[variable];
  if (raw === undefined) return { name, variable, raw, value: undefined };
  const coerced = coerceEnvValue(raw, json, root);
  if (!coerced.ok) return { name, variable, raw, value: undefined, problem: coerced.problem };
  return { name, variable, raw, value: coerced.value };
}

function toSettingsIssue(issue: StandardSchemaV1.Issue, base: string[], fields: Field[]): SettingsIssue {
  const path = [...base, ...(issue.path ?? []).map((segment) => String(typeof segment === "object" ? segment.key : segment))];
  const [name = "", ...rest] = path;
  const field = fields.find((candidate) => candidate.name === name);
  if (!field) return { variable: name === "" ? "(settings)" : name, field: name, problem: issue.message };
  if (field.value === undefined && rest.length === 0) {
    return { variable: field.variable, field: name, problem: field.raw === undefined ? "missing" : "empty" };
  }
  const message = redact(issue.message, field);
  return { variable: field.variable, field: name, problem: rest.length > 0 ? `${rest.join(".")}: ${message}` : message };
}

/** A validator may echo the input in its message; the input may be a secret. */
function redact(message: string, field: Field): string {
  let out = message;
  for (const value of [field.raw, typeof field.value === "string" ? field.value : undefined]) {
    if (value !== undefined && value.trim().length >= 3) out = out.split(value).join("<redacted>");
  }
  return out;
}

function validateSync(schema: StandardSchemaV1, value: unknown): StandardSchemaV1.Result<unknown> {
  const result = schema["~standard"].validate(value);
  if (result instanceof Promise) {
    result.catch(() => undefined);
    throw new TypeError("defineSettings: asynchronous schemas are not supported; settings are read synchronously at startup.");
  }
  return result;
}

function inputJsonSchema(schema: StandardSchemaV1): JsonSchema | undefined {
  const converter = (schema["~standard"] as Partial<StandardJSONSchemaV1.Props>).jsonSchema;
  if (!converter) return undefined;
  try {
    return converter.input({ target: "draft-2020-12" }) as JsonSchema;
  } catch {
    return undefined;
  }
}

function isStandardSchema(value: StandardSchemaV1 | SettingsShape): value is StandardSchemaV1 {
  const standard = (value as Partial<StandardSchemaV1>)["~standard"];
  return typeof standard === "object" && standard !== null && typeof standard.validate === "function";
}
