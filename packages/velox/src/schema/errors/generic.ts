import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ErrorDetail } from "../../http-exception.ts";
import { pydantic } from "./pydantic.ts";
import { inputFor, issuePath } from "./walk.ts";

/** For validators Velox has no mapping for: a `missing` when the value is absent, else a `value_error`. */
export function genericIssueToDetails(issue: StandardSchemaV1.Issue, prefix: (string | number)[], root: unknown): ErrorDetail[] {
  const path = issuePath(issue);
  const loc = [...prefix, ...path];
  const { input, missing } = inputFor(root, path);
  if (missing) return [pydantic.missing(loc, input)];
  return [pydantic.valueError(loc, input, issue.message)];
}
