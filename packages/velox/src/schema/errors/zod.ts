import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ErrorDetail } from "../../http-exception.ts";
import type { JsonSchema } from "../json-schema.ts";
import { pydantic, typeError } from "./pydantic.ts";
import { inputFor, issuePath } from "./walk.ts";

type ZodIssue = StandardSchemaV1.Issue & Record<string, any>;

/** `/^a+$/u` → `^a+$`: Pydantic shows the bare pattern. */
/** `z.uuidv4()` checks `-4[0-9a-fA-F]{3}-` in its pattern: the version it demands. */
function uuidVersion(pattern: unknown): number | undefined {
  const match = /-(\d)\[0-9a-fA-F\]\{3\}-/.exec(String(pattern ?? ""));
  return match ? Number(match[1]) : undefined;
}

function barePattern(pattern: unknown): string {
  const text = String(pattern ?? "");
  const match = /^\/(.*)\/[a-z]*$/s.exec(text);
  return match ? match[1]! : text;
}

type ZodDef = { type?: string; shape?: Record<string, ZodLike>; element?: ZodLike; innerType?: ZodLike; valueType?: ZodLike; entries?: Record<string, unknown>; in?: ZodLike };
type ZodLike = { _zod?: { def?: ZodDef } };

/** The Zod schema at `path` inside `schema`, following objects, arrays, records and wrappers; undefined where it is ambiguous. */
function zodAt(schema: ZodLike | undefined, path: readonly (string | number)[]): ZodLike | undefined {
  let current = schema;
  for (let i = 0; i <= path.length && current !== undefined; ) {
    const def = current._zod?.def;
    if (def === undefined) return undefined;
    if (def.innerType !== undefined) {
      current = def.innerType;
      continue;
    }
    if (def.type === "pipe" && def.in !== undefined) {
      current = def.in;
      continue;
    }
    if (i === path.length) return current;
    const key = path[i++]!;
    if (def.shape !== undefined) current = def.shape[String(key)];
    else if (def.element !== undefined) current = def.element;
    else if (def.valueType !== undefined) current = def.valueType;
    else return undefined;
  }
  return current;
}

/**
 * True for a Zod enum made from a TypeScript `enum` (`z.enum(Color)`), whose names differ from
 * its values — Python's `Enum`. `z.enum(["a", "b"])` is `Literal["a", "b"]`.
 */
function isEnumObject(schema: ZodLike | undefined): boolean {
  const def = schema?._zod?.def;
  if (def?.type !== "enum" || def.entries === undefined) return false;
  return Object.entries(def.entries).some(([name, value]) => name !== String(value));
}

/** A union whose every branch failed on one value at the same place is Pydantic's `Literal[...]`. */
function literalUnion(branches: ZodIssue[][]): unknown[] | null {
  const values: unknown[] = [];
  for (const branch of branches) {
    if (branch.length !== 1 || branch[0]!.code !== "invalid_value" || (branch[0]!.path ?? []).length > 0) return null;
    values.push(...(branch[0]!.values ?? []));
  }
  return values;
}

const INTEGER_KEY = "^-?\\d+$";

/** Errors of a record key, at `[..., key, "[key]"]` with the key as input, as Pydantic reports them. */
function keyDetails(issue: ZodIssue, loc: (string | number)[], path: (string | number)[], schema: (path: readonly (string | number)[]) => JsonSchema | undefined): ErrorDetail[] {
  const key = path[path.length - 1];
  const keyLoc = [...loc, "[key]"];
  const integerKeys = schema(path.slice(0, -1))?.propertyNames?.pattern === INTEGER_KEY;
  return ((issue.issues as ZodIssue[]) ?? []).flatMap((nested) => {
    if (nested.code === "invalid_type" && (nested.expected === "number" || nested.expected === "int")) {
      return [integerKeys || nested.expected === "int" ? pydantic.intParsing(keyLoc, key) : pydantic.floatParsing(keyLoc, key)];
    }
    return zodIssueToDetails({ ...nested, path: [] }, keyLoc, key, () => undefined);
  });
}

/**
 * Maps one Zod 4 issue to FastAPI's error entries. `prefix` is the location of the validated value
 * (e.g. `["body"]` or `["query", "q"]`); `root` is the value that was validated.
 */
export function zodIssueToDetails(
  issue: ZodIssue,
  prefix: (string | number)[],
  root: unknown,
  schema: (path: readonly (string | number)[]) => JsonSchema | undefined = () => undefined,
  source?: unknown,
): ErrorDetail[] {
  const path = issuePath(issue);
  const loc = [...prefix, ...path];
  const { input, missing } = inputFor(root, path);
  switch (issue.code) {
    case "invalid_type":
      if (missing) return [pydantic.missing(loc, input)];
      if (issue.expected === "number" && schema(path)?.type === "integer") return [typeError("int", loc, input)];
      return [typeError(String(issue.expected), loc, input)];
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string") return [pydantic.stringTooShort(loc, input, min)];
      if (issue.origin === "array" || issue.origin === "set") {
        return [pydantic.tooShort(loc, input, min, Array.isArray(input) ? input.length : (input as Set<unknown>)?.size ?? 0)];
      }
      return [issue.inclusive ? pydantic.greaterThanEqual(loc, input, issue.minimum) : pydantic.greaterThan(loc, input, issue.minimum)];
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string") return [pydantic.stringTooLong(loc, input, max)];
      if (issue.origin === "array" || issue.origin === "set") {
        return [pydantic.tooLong(loc, input, max, Array.isArray(input) ? input.length : (input as Set<unknown>)?.size ?? 0)];
      }
      return [issue.inclusive ? pydantic.lessThanEqual(loc, input, issue.maximum) : pydantic.lessThan(loc, input, issue.maximum)];
    }
    case "invalid_format":
      switch (issue.format) {
        case "regex": return [pydantic.stringPattern(loc, input, barePattern(issue.pattern))];
        case "uuid":
        case "guid": return [pydantic.uuidParsing(loc, input, uuidVersion(issue.pattern))];
        case "datetime": return [pydantic.datetimeParsing(loc, input)];
        case "date": return [pydantic.dateParsing(loc, input)];
        case "email": return [pydantic.email(loc, input)];
        case "url": return [pydantic.urlParsing(loc, input)];
        default: return [pydantic.valueError(loc, input, issue.message)];
      }
    case "invalid_value": {
      const values: unknown[] = issue.values ?? [];
      // z.enum(["a", "b"]) and z.literal are Literal[...] (literal_error); z.enum(TsEnum) is an Enum (enum).
      return [isEnumObject(zodAt(source as ZodLike | undefined, path)) ? pydantic.enum(loc, input, values) : pydantic.literal(loc, input, values)];
    }
    case "unrecognized_keys":
      return (issue.keys as string[]).map((key) => pydantic.extraForbidden([...loc, key], (input as Record<string, unknown>)?.[key]));
    case "not_multiple_of":
      return [pydantic.multipleOf(loc, input, issue.divisor)];
    case "invalid_union": {
      const branches: ZodIssue[][] = issue.errors ?? [];
      if (branches.length === 0) return [pydantic.valueError(loc, input, issue.message)];
      const literals = literalUnion(branches);
      if (literals !== null) return [pydantic.literal(loc, input, literals)];
      const best = branches.reduce((a, b) => (b.length < a.length ? b : a));
      return best.flatMap((nested) => zodIssueToDetails({ ...nested, path: [...path, ...(nested.path ?? [])] }, prefix, root, schema, source));
    }
    case "invalid_key":
      return keyDetails(issue, loc, path, schema);
    case "invalid_element":
      return (issue.issues as ZodIssue[] ?? []).flatMap((nested) =>
        zodIssueToDetails({ ...nested, path: [...path, issue.key, ...(nested.path ?? [])] }, prefix, root, schema, source));
    default:
      return [pydantic.valueError(loc, input, issue.message)];
  }
}
