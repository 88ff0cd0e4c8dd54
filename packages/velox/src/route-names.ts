import { VeloxError } from "./errors.ts";
import { routeName } from "./openapi/naming.ts";
import type { RouteRecord } from "./router.ts";

/**
 * Routes by name, for `urlFor`: a route's `name`, else its handler's name. An explicit name used by
 * two paths is an error; a handler name shared by two paths is ambiguous and left out. A HEAD route
 * beside the GET of its path is not a name of its own.
 *
 * @example
 * ```ts
 * const record = routesByName(app.routes).get("readItem");
 * ```
 */
export function routesByName(records: readonly RouteRecord[]): Map<string, RouteRecord> {
  const names = new Map<string, RouteRecord>();
  const ambiguous = new Set<string>();
  for (const record of records) {
    if (record.method === "HEAD" && records.some((r) => r.method === "GET" && r.template.template === record.template.template)) continue;
    const explicit = record.config.name;
    const name = routeName(explicit, record.handler);
    if (name === undefined) continue;
    const other = names.get(name);
    if (other !== undefined && other.template.template !== record.template.template) {
      if (explicit !== undefined && other.config.name === explicit) {
        throw new VeloxError("VX_DUPLICATE_ROUTE_NAME", `route name "${name}" is used by ${other.method} ${other.template.template} and ${record.method} ${record.template.template}`);
      }
      ambiguous.add(name);
    } else if (other === undefined) names.set(name, record);
  }
  for (const name of ambiguous) if (names.get(name)?.config.name !== name) names.delete(name);
  return names;
}
