import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ErrorDetail } from "../http-exception.ts";
import { registerIssueMapper } from "../schema/errors/index.ts";
import { pydantic } from "../schema/errors/pydantic.ts";

const VENDOR = "velox-form";

type FieldIssue = StandardSchemaV1.Issue & { code: "missing" | "string_type" | "string_pattern_mismatch"; input: unknown; pattern?: string };

/**
 * How one string form field is declared.
 *
 * @example
 * ```ts
 * const options: FormFieldOptions = { title: "Grant Type", pattern: "^password$" };
 * const grantType = requiredFormField(options);
 * ```
 */
export interface FormFieldOptions {
  /** Shown as the field's `title` in OpenAPI, like Pydantic's generated titles. */
  title: string;
  /** A regular expression the value must match (Pydantic's `pattern`). */
  pattern?: string;
  /** OpenAPI `format`, e.g. `"password"` so docs UIs mask the input. */
  format?: string;
}

/** The value used when an optional field is absent: `undefined` (documented as nullable) or a string. */
type Fallback = undefined | string;

function issue(code: FieldIssue["code"], input: unknown, message: string, pattern?: string): StandardSchemaV1.FailureResult {
  const found: FieldIssue = pattern === undefined ? { code, input, message } : { code, input, message, pattern };
  return { issues: [found] };
}

function fieldSchema<Out>(options: FormFieldOptions, required: boolean, fallback: Fallback): StandardSchemaV1<Out, Out> {
  const regex = options.pattern === undefined ? null : new RegExp(options.pattern, "u");
  const base: Record<string, unknown> = { type: "string" };
  if (options.pattern !== undefined) base.pattern = options.pattern;
  if (options.format !== undefined) base.format = options.format;
  let json: Record<string, unknown>;
  if (required) json = { ...base, title: options.title };
  else if (fallback === undefined) json = { anyOf: [base, { type: "null" }], title: options.title };
  else json = { ...base, title: options.title, default: fallback };
  const describe = () => structuredClone(json);
  const validate = (value: unknown): StandardSchemaV1.Result<Out> => {
    // FastAPI reads an empty form value as an absent one.
    if (value === undefined || value === "") {
      return required ? issue("missing", null, "Field required") : { value: fallback as Out };
    }
    if (typeof value !== "string") return issue("string_type", value, "Input should be a valid string");
    if (regex !== null && !regex.test(value)) {
      return issue("string_pattern_mismatch", value, `String should match pattern '${options.pattern}'`, options.pattern);
    }
    return { value: value as Out };
  };
  const standard = { version: 1 as const, vendor: VENDOR, validate, jsonSchema: { input: describe, output: describe } };
  return { "~standard": standard };
}

/**
 * A required string form field (empty counts as missing, as in FastAPI), as a Standard Schema
 * that needs no validation library.
 *
 * @example
 * ```ts
 * const login = depends({ form: { username: requiredFormField({ title: "Username" }) } }, ({ form }) => form.username);
 * ```
 */
export function requiredFormField(options: FormFieldOptions): StandardSchemaV1<string, string> {
  return fieldSchema<string>(options, true, undefined);
}

/**
 * An optional string form field: absent or empty gives `fallback` (`undefined` by default,
 * documented as nullable).
 *
 * @example
 * ```ts
 * const scope = optionalFormField({ title: "Scope" }, ""); // "" when not sent
 * ```
 */
export function optionalFormField(options: FormFieldOptions): StandardSchemaV1<string | undefined, string | undefined>;
export function optionalFormField(options: FormFieldOptions, fallback: string): StandardSchemaV1<string, string>;
export function optionalFormField(options: FormFieldOptions, fallback?: string): StandardSchemaV1<any, any> {
  return fieldSchema<string | undefined>(options, false, fallback);
}

function mapIssue(raw: StandardSchemaV1.Issue, prefix: (string | number)[]): ErrorDetail[] {
  const found = raw as FieldIssue;
  const loc = [...prefix];
  switch (found.code) {
    case "missing": return [pydantic.missing(loc, null)];
    case "string_type": return [pydantic.stringType(loc, found.input)];
    case "string_pattern_mismatch": return [pydantic.stringPattern(loc, found.input, found.pattern ?? "")];
    default: return [pydantic.valueError(loc, found.input, raw.message)];
  }
}

registerIssueMapper(VENDOR, mapIssue);
