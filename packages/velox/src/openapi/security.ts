import type { DepGraph } from "../di/analyze.ts";
import type { SecurityRequirement } from "./types.ts";

/**
 * The security of one operation: requirements, and the schemes they name.
 *
 * @example
 * ```ts
 * const { requirements, schemes }: OperationSecurity = operationSecurity(plan.graph);
 * ```
 */
export interface OperationSecurity {
  requirements: SecurityRequirement[];
  schemes: Record<string, Record<string, unknown>>;
}

/**
 * Reads the security schemes of a route's dependency graph: each security dependency (one carrying
 * `DependsConfig.security`) becomes a `components/securitySchemes` entry, and the operation
 * requires it with the scopes gathered on the way to it (`security(dep, scopes)` anywhere above
 * it). Like FastAPI, each scheme is its own requirement object, so a route with two schemes
 * (typically optional ones, `autoError: false`) accepts either.
 *
 * @example
 * ```ts
 * operationSecurity(plan.graph);
 * // { requirements: [{ OAuth2PasswordBearer: ["items:read"] }], schemes: { OAuth2PasswordBearer: { type: "oauth2", ... } } }
 * ```
 */
export function operationSecurity(graph: DepGraph | null): OperationSecurity {
  const scopes = new Map<string, Set<string>>();
  const schemes: Record<string, Record<string, unknown>> = {};
  for (const node of graph?.nodes ?? []) {
    if (node.security === null) continue;
    const { name, scheme } = node.security;
    schemes[name] = structuredClone(scheme) as Record<string, unknown>;
    const set = scopes.get(name) ?? new Set<string>();
    for (const scope of node.documentedScopes) set.add(scope);
    scopes.set(name, set);
  }
  return { requirements: [...scopes].map(([name, set]) => ({ [name]: [...set] })), schemes };
}
