import { VeloxError } from "../errors.ts";
import { compileSource, type SourceExtractor } from "../params/extract.ts";
import type { InputNode } from "../params/extract-inputs.ts";
import { LOCATIONS } from "../params/locations.ts";
import { bodyShapeSchema, compileBodyShape } from "../params/body-shape.ts";
import { isSchema, type AnySchema, type ParamSpec, type SchemaShape } from "../schema/types.ts";
import { compileValidator } from "../schema/validator.ts";
import type { Dependency, DepsSpec } from "./dependency.ts";

/**
 * What a dependant — a route or a dependency — declares: its own parameters, its body and the
 * dependencies it needs. Route options and `depends()` options share this shape, and one analyser
 * reads both (the route is the root of its own dependency graph, as in FastAPI's `get_dependant`).
 *
 * @example
 * ```ts
 * const spec: DependantSpec = { query: { q: z.string().optional() }, deps: { db: getDb } };
 * app.get("/search", spec, ({ query, db }) => db.search(query.q));
 * const search = depends(spec, ({ query, db }) => db.search(query.q));
 * ```
 */
export interface DependantSpec {
  path?: ParamSpec;
  query?: ParamSpec;
  headers?: ParamSpec;
  cookies?: ParamSpec;
  /**
   * The body schema (JSON unless the route picks another `bodyKind`), or several body parameters
   * as a shape — `{ item: Item, user: User, importance: z.int() }`, FastAPI's several `Body()`
   * parameters (one entry is `Body(embed=True)`): the body is then an object with one key each.
   */
  body?: AnySchema | SchemaShape;
  /** Form fields (URL-encoded). */
  form?: ParamSpec;
  /** Dependencies injected by name. */
  deps?: DepsSpec;
  /** Dependencies run for their side effects only. */
  dependencies?: readonly Dependency<any>[];
}

/**
 * Compiles the inputs a dependant declares itself (its parameter sources and body validator),
 * refusing anything that is not a schema with `VX_NOT_A_SCHEMA` naming where it was declared.
 *
 * @example
 * ```ts
 * const node = compileInputs({ query: { q: z.string() } }, true, "GET /search");
 * node.sources[0]!.location; // "query"
 * ```
 */
export function compileInputs(spec: DependantSpec, optimize: boolean, where: string): InputNode {
  const sources: SourceExtractor[] = [];
  for (const row of LOCATIONS) {
    const declared = spec[row.specKey];
    if (declared === undefined) continue;
    if (!isSchema(declared)) {
      if (typeof declared !== "object" || declared === null) {
        throw new VeloxError("VX_NOT_A_SCHEMA", `${where}: "${row.specKey}" must be a schema or an object of schemas`);
      }
      for (const [name, s] of Object.entries(declared)) {
        if (!isSchema(s)) throw new VeloxError("VX_NOT_A_SCHEMA", `${where}: ${row.specKey}.${name} is not a Standard Schema (Zod, Valibot, ArkType...)`);
      }
    }
    sources.push(compileSource(row.location, declared, optimize));
  }
  const body = spec.body;
  if (body !== undefined && !isSchema(body)) {
    if (typeof body !== "object" || body === null || Object.keys(body).length === 0) {
      throw new VeloxError("VX_NOT_A_SCHEMA", `${where}: "body" must be a Standard Schema or a non-empty object of schemas (several body parameters)`);
    }
    for (const [name, s] of Object.entries(body)) {
      if (!isSchema(s)) throw new VeloxError("VX_NOT_A_SCHEMA", `${where}: body.${name} is not a Standard Schema (Zod, Valibot, ArkType...)`);
    }
    return { sources, body: compileBodyShape(body, optimize), bodySchema: bodyShapeSchema(body), bodyShape: body };
  }
  return {
    sources,
    body: body ? compileValidator(body, optimize) : null,
    bodySchema: body ?? null,
    bodyShape: null,
  };
}
