import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ErrorDetail } from "../../http-exception.ts";
import type { JsonSchema } from "../json-schema.ts";
import { pydantic, typeError } from "./pydantic.ts";
import { inputFor, issuePath, valueAt } from "./walk.ts";

/** The fields of a Valibot v1 issue the mapping reads. */
type ValibotIssue = StandardSchemaV1.Issue & {
  kind?: "schema" | "validation" | "transformation";
  type?: string;
  expected?: string | null;
  requirement?: unknown;
  issues?: ValibotIssue[];
};

type Loc = (string | number)[];
type SchemaAt = (path: readonly (string | number)[]) => JsonSchema | undefined;

const OBJECTS = new Set(["object", "loose_object", "strict_object", "object_with_rest"]);

/** Valibot prints expected literals as JSON (`"a"`, `1`); anything else stays as written. */
function parseLiteral(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The allowed values at `path`: the JSON Schema `enum`/`const`, else Valibot's `("a" | "b")`. */
function choices(issue: ValibotIssue, path: Loc, schema: SchemaAt): unknown[] {
  const json = schema(path);
  if (Array.isArray(json?.enum)) return json.enum;
  if (json && "const" in json) return [json.const];
  const expected = String(issue.expected ?? "").replace(/^\((.*)\)$/s, "$1");
  return expected.split(" | ").map(parseLiteral);
}

const lengthOf = (input: unknown): number => (typeof input === "string" || Array.isArray(input) ? input.length : 0);

function tooShort(loc: Loc, input: unknown, min: number): ErrorDetail {
  return typeof input === "string" ? pydantic.stringTooShort(loc, input, min) : pydantic.tooShort(loc, input, min, lengthOf(input));
}

function tooLong(loc: Loc, input: unknown, max: number): ErrorDetail {
  return typeof input === "string" ? pydantic.stringTooLong(loc, input, max) : pydantic.tooLong(loc, input, max, lengthOf(input));
}

/** Errors of a failed `pipe` action (`minLength`, `regex`, `minValue`, `email`...). */
function validationError(issue: ValibotIssue, loc: Loc, input: unknown): ErrorDetail {
  const requirement = issue.requirement;
  switch (issue.type) {
    case "min_length": return tooShort(loc, input, Number(requirement));
    case "max_length": return tooLong(loc, input, Number(requirement));
    case "non_empty": return tooShort(loc, input, 1);
    case "length": {
      const exact = Number(requirement);
      return lengthOf(input) < exact ? tooShort(loc, input, exact) : tooLong(loc, input, exact);
    }
    case "regex": return pydantic.stringPattern(loc, input, requirement instanceof RegExp ? requirement.source : String(requirement));
    case "integer": return typeError("integer", loc, input);
    case "finite": return pydantic.finiteNumber(loc, input);
    case "safe_integer":
      if (typeof input === "number" && Number.isInteger(input)) {
        return input > 0 ? pydantic.lessThanEqual(loc, input, Number.MAX_SAFE_INTEGER) : pydantic.greaterThanEqual(loc, input, Number.MIN_SAFE_INTEGER);
      }
      return typeError("integer", loc, input);
    case "gt_value": return pydantic.greaterThan(loc, input, requirement);
    case "min_value": return pydantic.greaterThanEqual(loc, input, requirement);
    case "lt_value": return pydantic.lessThan(loc, input, requirement);
    case "max_value": return pydantic.lessThanEqual(loc, input, requirement);
    case "multiple_of": return pydantic.multipleOf(loc, input, requirement);
    case "value": return pydantic.literal(loc, input, [requirement]);
    case "values": return pydantic.enum(loc, input, Array.isArray(requirement) ? requirement : [requirement]);
    case "uuid": return pydantic.uuidParsing(loc, input);
    case "email":
    case "rfc_email": return pydantic.email(loc, input);
    case "iso_date_time":
    case "iso_timestamp": return pydantic.datetimeParsing(loc, input);
    case "iso_date": return pydantic.dateParsing(loc, input);
    case "url": return pydantic.urlParsing(loc, input);
    default: return pydantic.valueError(loc, input, issue.message);
  }
}

/** Errors of a schema that rejected the value's type or shape. */
function schemaError(issue: ValibotIssue, path: Loc, loc: Loc, input: unknown, prefix: Loc, root: unknown, schema: SchemaAt): ErrorDetail[] {
  const type = issue.type ?? "";
  if (OBJECTS.has(type)) return [pydantic.modelAttributesType(loc, input)];
  switch (type) {
    case "number": return [typeError(schema(path)?.type === "integer" ? "integer" : "number", loc, input)];
    case "string":
    case "boolean":
    case "bigint":
    case "array":
    case "tuple":
    case "set":
    case "record":
    case "map":
    case "date": return [typeError(type, loc, input)];
    // v.picklist([...]) is Literal[...] (literal_error); v.enum({...}) is an Enum class (enum).
    case "picklist": return [pydantic.literal(loc, input, choices(issue, path, schema))];
    case "enum": {
      const values = choices(issue, path, schema);
      return [values.length === 1 ? pydantic.literal(loc, input, values) : pydantic.enum(loc, input, values)];
    }
    case "literal": return [pydantic.literal(loc, input, choices(issue, path, schema))];
    case "union": {
      const nested = issue.issues ?? [];
      if (nested.length > 0 && nested.every((n) => n.type === "literal")) {
        return [pydantic.literal(loc, input, nested.map((n) => parseLiteral(String(n.expected))))];
      }
      if (nested.length > 0) return nested.flatMap((n) => valibotIssueToDetails(n, prefix, root, schema));
      return [pydantic.valueError(loc, input, issue.message)];
    }
    default: return [pydantic.valueError(loc, input, issue.message)];
  }
}

/**
 * Valibot stops at the first unknown key of a strict object; Pydantic reports each one, so the
 * others are found from the object's declared properties.
 */
function extraKeys(path: Loc, prefix: Loc, root: unknown, schema: SchemaAt): ErrorDetail[] {
  const parentPath = path.slice(0, -1);
  const parent = valueAt(root, parentPath);
  const declared = schema(parentPath)?.properties as Record<string, unknown> | undefined;
  const keys = declared && parent !== null && typeof parent === "object"
    ? Object.keys(parent).filter((key) => !Object.prototype.hasOwnProperty.call(declared, key))
    : [path[path.length - 1]!];
  return keys.map((key) => pydantic.extraForbidden([...prefix, ...parentPath, key], valueAt(parent, [key])));
}

/**
 * Maps one Valibot v1 issue to FastAPI's error entries, with Pydantic's types, messages and `ctx`.
 * `prefix` is the location of the validated value (`["body"]`, `["query", "q"]`), `root` the value
 * that was validated, `schema` its input JSON Schema at a path (Valibot reports an integer that
 * arrived as a string as a `number` issue; the schema says `integer`).
 *
 * @example
 * ```ts
 * const result = v.safeParse(v.object({ n: v.pipe(v.number(), v.minValue(1)) }), { n: 0 });
 * valibotIssueToDetails(result.issues[0], ["body"], { n: 0 }, () => undefined);
 * // [{ type: "greater_than_equal", loc: ["body", "n"], msg: "Input should be greater than or equal to 1", input: 0, ctx: { ge: 1 } }]
 * ```
 */
export function valibotIssueToDetails(issue: ValibotIssue, prefix: Loc, root: unknown, schema: SchemaAt = () => undefined): ErrorDetail[] {
  const path = issuePath(issue);
  const loc = [...prefix, ...path];
  if (issue.type === "strict_object" && issue.expected === "never") return extraKeys(path, prefix, root, schema);
  const { input, missing } = inputFor(root, path);
  if (missing) {
    const parentPath = path.slice(0, -1);
    const parent = valueAt(root, parentPath);
    // Valibot reads an array as an object with missing keys; Pydantic rejects the array itself.
    if (Array.isArray(parent) && OBJECTS.has(issue.type ?? "")) return [pydantic.modelAttributesType([...prefix, ...parentPath], parent)];
    return [pydantic.missing(loc, input)];
  }
  if (issue.kind === "validation") return [validationError(issue, loc, input)];
  if (issue.kind === "schema") return schemaError(issue, path, loc, input, prefix, root, schema);
  return [pydantic.valueError(loc, input, issue.message)];
}
