import type { ResponseSpec } from "../route-types.ts";
import type { AnySchema } from "../schema/types.ts";

const DETAIL_JSON_SCHEMA = { type: "object", title: "HTTPError", properties: { detail: { type: "string" } }, required: ["detail"] };

/** A documentation-only schema of `{"detail": "..."}` (what the 429 and 503 bodies hold). */
const DetailBody: AnySchema = {
  "~standard": {
    version: 1,
    vendor: "velox",
    validate: (value: unknown) => ({ value }),
    jsonSchema: { input: () => DETAIL_JSON_SCHEMA, output: () => DETAIL_JSON_SCHEMA },
  },
} as unknown as AnySchema;

const integer = { type: "integer", minimum: 1 };

/**
 * The OpenAPI responses a limiter adds to a route: 429 with `Retry-After` and the IETF fields,
 * and 503 when it fails closed.
 *
 * @example
 * ```ts
 * app.post("/login", { hooks: limiter.hooks, responses: limitResponses("5 per 60 s", true) }, handler);
 * ```
 */
export function limitResponses(policy: string, failsClosed: boolean): Record<number, ResponseSpec> {
  const responses: Record<number, ResponseSpec> = {
    429: {
      schema: DetailBody,
      description: `Too many requests (${policy}); retry after the seconds in Retry-After`,
      headers: {
        "Retry-After": { description: "Seconds to wait before retrying", schema: integer },
        RateLimit: { description: 'Remaining quota, e.g. `"default";r=0;t=30` (draft-ietf-httpapi-ratelimit-headers)' },
        "RateLimit-Policy": { description: 'The quota policy, e.g. `"default";q=100;w=60`' },
      },
    },
  };
  if (failsClosed) {
    responses[503] = {
      schema: DetailBody,
      description: "The rate limiter cannot decide (its store is unreachable) and fails closed",
      headers: { "Retry-After": { description: "Seconds to wait before retrying", schema: integer } },
    };
  }
  return responses;
}
