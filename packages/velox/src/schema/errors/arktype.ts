import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ErrorDetail } from "../../http-exception.ts";
import { unwrapOptional } from "../coerce.ts";
import type { JsonSchema } from "../json-schema.ts";
import { pydantic, typeError } from "./pydantic.ts";
import { inputFor, issuePath, valueAt } from "./walk.ts";

/** The fields of an ArkType 2 error (`ArkError`) the mapping reads. */
type ArkIssue = StandardSchemaV1.Issue & {
  code?: string;
  data?: unknown;
  expected?: string;
  rule?: unknown;
  exclusive?: boolean;
  domain?: string;
  proto?: unknown;
  unit?: unknown;
  meta?: { format?: string };
  errors?: ArkIssue[];
};

type Loc = (string | number)[];
type SchemaAt = (path: readonly (string | number)[]) => JsonSchema | undefined;

/** The JSON type the schema declares at `path`, with `null` alternatives removed. */
function declaredType(schema: SchemaAt, path: Loc): string | undefined {
  const node = schema(path);
  if (!node) return undefined;
  const type = unwrapOptional(node, node).type;
  return typeof type === "string" ? type : undefined;
}

function choiceError(loc: Loc, input: unknown, values: readonly unknown[]): ErrorDetail {
  return values.length === 1 ? pydantic.literal(loc, input, values) : pydantic.enum(loc, input, values);
}

/** True when `input` already has the JSON type: a failure then came from a custom check. */
function conforms(type: string, input: unknown): boolean {
  switch (type) {
    case "integer": return Number.isInteger(input);
    case "array": return Array.isArray(input);
    case "object": return typeof input === "object" && input !== null && !Array.isArray(input);
    case "null": return input === null;
    default: return typeof input === type;
  }
}

/** A wrong value for a declared type: the schema says which Pydantic type error it is. */
function byDeclaredType(issue: ArkIssue, path: Loc, loc: Loc, input: unknown, schema: SchemaAt): ErrorDetail {
  const node = schema(path);
  if (node && Array.isArray(node.enum)) return choiceError(loc, input, node.enum);
  if (node && "const" in node) return pydantic.literal(loc, input, [node.const]);
  const type = declaredType(schema, path);
  if (type && conforms(type, input)) return pydantic.valueError(loc, input, issue.message);
  if (type === "object") return node?.properties ? pydantic.modelAttributesType(loc, input) : pydantic.dictType(loc, input);
  if (type) return typeError(type, loc, input);
  return pydantic.valueError(loc, input, issue.message);
}

function lengthError(issue: ArkIssue, loc: Loc, input: unknown): ErrorDetail {
  const rule = Number(issue.rule);
  const actual = typeof input === "string" || Array.isArray(input) ? input.length : 0;
  const short = issue.code === "minLength" || (issue.code === "exactLength" && actual < rule);
  if (typeof input === "string") return short ? pydantic.stringTooShort(loc, input, rule) : pydantic.stringTooLong(loc, input, rule);
  return short ? pydantic.tooShort(loc, input, rule, actual) : pydantic.tooLong(loc, input, rule, actual);
}

/** ArkType's string keywords (`string.uuid`, `string.email`...) fail as patterns; their description says which. */
function patternError(issue: ArkIssue, loc: Loc, input: unknown): ErrorDetail {
  const expected = issue.expected ?? "";
  if (issue.meta?.format === "uuid" || /\bUUID/.test(expected)) {
    const version = /UUIDv(\d)/.exec(expected);
    return pydantic.uuidParsing(loc, input, version ? Number(version[1]) : undefined);
  }
  if (/email address/.test(expected)) return pydantic.email(loc, input);
  if (/ISO 8601/.test(expected)) return pydantic.datetimeParsing(loc, input);
  if (/well-formed integer string/.test(expected)) return pydantic.intParsing(loc, input);
  if (/well-formed numeric string/.test(expected)) return pydantic.floatParsing(loc, input);
  return pydantic.stringPattern(loc, input, String(issue.rule ?? ""));
}

function unionError(issue: ArkIssue, path: Loc, loc: Loc, input: unknown, prefix: Loc, root: unknown, schema: SchemaAt): ErrorDetail[] {
  const branches = issue.errors ?? [];
  if (branches.length > 0 && branches.every((b) => b.code === "unit")) {
    const units = branches.map((b) => b.unit);
    if (units.length === 2 && units.includes(true) && units.includes(false)) return [typeError("boolean", loc, input)];
    return [choiceError(loc, input, units)];
  }
  if (declaredType(schema, path) !== undefined) return [byDeclaredType(issue, path, loc, input, schema)];
  if (branches.length > 0) return arktypeIssueToDetails(branches[0]!, prefix, root, schema);
  return [pydantic.valueError(loc, input, issue.message)];
}

/**
 * Maps one ArkType 2 error to FastAPI's error entries, with Pydantic's types, messages and `ctx`.
 * `prefix` is the location of the validated value, `root` the value that was validated and
 * `schema` its input JSON Schema at a path (ArkType reports enums and nullable types as
 * predicates; the schema says what was declared).
 *
 * @example
 * ```ts
 * const out = type({ n: "number >= 1" })({ n: 0 });
 * arktypeIssueToDetails(out[0], ["body"], { n: 0 }, () => undefined);
 * // [{ type: "greater_than_equal", loc: ["body", "n"], msg: "Input should be greater than or equal to 1", input: 0, ctx: { ge: 1 } }]
 * ```
 */
export function arktypeIssueToDetails(issue: ArkIssue, prefix: Loc, root: unknown, schema: SchemaAt = () => undefined): ErrorDetail[] {
  const path = issuePath(issue);
  const loc = [...prefix, ...path];
  if (issue.code === "predicate" && issue.expected === "removed") return [pydantic.extraForbidden(loc, valueAt(root, path))];
  const { input, missing } = inputFor(root, path);
  if (missing || issue.code === "required") {
    const parentPath = path.slice(0, -1);
    const parent = valueAt(root, parentPath);
    // ArkType reads an array as an object with missing keys; Pydantic rejects the array itself.
    if (Array.isArray(parent)) return [pydantic.modelAttributesType([...prefix, ...parentPath], parent)];
    return [pydantic.missing(loc, missing ? input : parent)];
  }
  switch (issue.code) {
    case "domain":
      if (issue.domain === "number" && declaredType(schema, path) === "integer") return [typeError("integer", loc, input)];
      if (issue.domain === "object") return [byDeclaredType(issue, path, loc, input, schema)];
      return [typeError(String(issue.domain), loc, input)];
    case "proto":
      if (issue.proto === Array) return [pydantic.listType(loc, input)];
      if (issue.proto === Date) return [pydantic.datetimeParsing(loc, input)];
      return [pydantic.valueError(loc, input, issue.message)];
    case "unit":
      if (typeof issue.unit === "boolean" && typeof input !== "boolean") return [typeError("boolean", loc, input)];
      return [pydantic.literal(loc, input, [issue.unit])];
    case "union": return unionError(issue, path, loc, input, prefix, root, schema);
    case "intersection": return (issue.errors ?? []).flatMap((nested) => arktypeIssueToDetails(nested, prefix, root, schema));
    case "minLength":
    case "maxLength":
    case "exactLength": return [lengthError(issue, loc, input)];
    case "min": return [issue.exclusive ? pydantic.greaterThan(loc, input, issue.rule) : pydantic.greaterThanEqual(loc, input, issue.rule)];
    case "max": return [issue.exclusive ? pydantic.lessThan(loc, input, issue.rule) : pydantic.lessThanEqual(loc, input, issue.rule)];
    case "divisor": return [issue.rule === 1 ? typeError("integer", loc, input) : pydantic.multipleOf(loc, input, issue.rule)];
    case "pattern": return [patternError(issue, loc, input)];
    case "predicate":
      if (issue.expected === "a URL string") return [pydantic.urlParsing(loc, input)];
      return [byDeclaredType(issue, path, loc, input, schema)];
    default: return [pydantic.valueError(loc, input, issue.message)];
  }
}
