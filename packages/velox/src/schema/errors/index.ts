import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ErrorDetail } from "../../http-exception.ts";
import { registerBuiltinAdapters } from "../adapters/index.ts";
import { schemaAt, toJsonSchema, type JsonSchema } from "../json-schema.ts";
import type { AnySchema } from "../types.ts";
import { arktypeIssueToDetails } from "./arktype.ts";
import { genericIssueToDetails } from "./generic.ts";
import { asPydanticReports } from "./pydantic-order.ts";
import { valibotIssueToDetails } from "./valibot.ts";
import { zodIssueToDetails } from "./zod.ts";

/**
 * Maps one issue of a vendor's validator to FastAPI error entries. `schema` gives the input JSON
 * Schema at a path (to tell an integer from a number when the issue does not say).
 */
export type IssueMapper = (
  issue: StandardSchemaV1.Issue,
  prefix: (string | number)[],
  root: unknown,
  schema: (path: readonly (string | number)[]) => JsonSchema | undefined,
  /** The validated schema itself, for mappers that read their library's own definitions. */
  source?: AnySchema,
) => ErrorDetail[];

// Every validator loads this module, so the adapters the mappers rely on (`schema(path)`) live here too.
registerBuiltinAdapters();

const mappers = new Map<string, IssueMapper>([
  ["zod", zodIssueToDetails as IssueMapper],
  ["valibot", valibotIssueToDetails as IssueMapper],
  ["arktype", arktypeIssueToDetails as IssueMapper],
]);

/**
 * Register how a validation library's issues become FastAPI's `{type, loc, msg, input, ctx}`
 * entries. Zod, Valibot and ArkType are built in.
 *
 * @example
 * ```ts
 * registerIssueMapper("my-lib", (issue, prefix) => [{ type: "value_error", loc: [...prefix], msg: issue.message, input: null }]);
 * ```
 */
export function registerIssueMapper(vendor: string, mapper: IssueMapper): void {
  mappers.set(vendor, mapper);
}

/**
 * Converts a validator's issues into FastAPI error entries located under `prefix`, reduced to what
 * Pydantic would report (one error per location; see {@link asPydanticReports}).
 */
export function issuesToDetails(schema: AnySchema, issues: readonly StandardSchemaV1.Issue[], prefix: (string | number)[], root: unknown): ErrorDetail[] {
  const mapper = mappers.get(schema["~standard"].vendor) ?? genericIssueToDetails;
  const at = (path: readonly (string | number)[]) => schemaAt(toJsonSchema(schema, "input"), path);
  const out: ErrorDetail[] = [];
  for (const issue of issues) out.push(...mapper(issue, prefix, root, at, schema));
  return asPydanticReports(out);
}
