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

/**
 * Maps one Zod 4 issue to FastAPI's error entries. `prefix` is the location of the validated value
 * (e.g. `["body"]` or `["query", "q"]`); `root` is the value that was validated.
 */
export function zodIssueToDetails(
  issue: ZodIssue,
  prefix: (string | number)[],
  root: unknown,
  schema: (path: readonly (string | number)[]) => JsonSchema | undefined = () => undefined,
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
      return [values.length === 1 ? pydantic.literal(loc, input, values) : pydantic.enum(loc, input, values)];
    }
    case "unrecognized_keys":
      return (issue.keys as string[]).map((key) => pydantic.extraForbidden([...loc, key], (input as Record<string, unknown>)?.[key]));
    case "not_multiple_of":
      return [pydantic.multipleOf(loc, input, issue.divisor)];
    case "invalid_union": {
      const branches: ZodIssue[][] = issue.errors ?? [];
      if (branches.length === 0) return [pydantic.valueError(loc, input, issue.message)];
      const best = branches.reduce((a, b) => (b.length < a.length ? b : a));
      return best.flatMap((nested) => zodIssueToDetails({ ...nested, path: [...path, ...(nested.path ?? [])] }, prefix, root, schema));
    }
    case "invalid_element":
    case "invalid_key":
      return (issue.issues as ZodIssue[] ?? []).flatMap((nested) =>
        zodIssueToDetails({ ...nested, path: [...path, ...(issue.code === "invalid_element" ? [issue.key] : []), ...(nested.path ?? [])] }, prefix, root, schema));
    default:
      return [pydantic.valueError(loc, input, issue.message)];
  }
}
