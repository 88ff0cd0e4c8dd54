import { VeloxError } from "../errors.ts";
import { formDataBody } from "../params/body-kinds/multipart.ts";
import { jsonBody } from "../params/body-kinds/json.ts";
import type { BodyKind } from "../params/body-kinds/body-kind.ts";
import type { InputNode } from "../params/extract-inputs.ts";
import { compileInputs, type DependantSpec } from "./dependant.ts";
import type { Dependency, SecurityScopes, SecuritySchemeInfo } from "./dependency.ts";
import type { DependencyOverrides } from "./overrides.ts";
import { checkDependencyName } from "./reserved.ts";
import { readsScopes } from "./reads-scopes.ts";

/** How a dependency function produces its value. */
export type DepKind = "plain" | "generator" | "async-generator";

/** One dependency call in a route's resolution order. */
export interface DepNode extends InputNode {
  dep: Dependency<any>;
  fn: (ctx: any) => unknown;
  kind: DepKind;
  scope: "request" | "function" | "app";
  slot: number;
  /** Sub-dependencies injected by name: [name, slot]. */
  subs: [string, number][];
  /** Slots of side-effect sub-dependencies (they only need to have run). */
  after: number[];
  /** The scopes this call sees (`securityScopes`). */
  securityScopes: SecurityScopes;
  /** Every scope required of this node on any path to it, for OpenAPI's security requirements. */
  documentedScopes: Set<string>;
  security: SecuritySchemeInfo | null;
}

/**
 * A dependant's graph, analysed once: the root's own inputs (the route's parameters and body),
 * the dependencies in resolution order, and what the whole graph reads from the body.
 */
export interface DepGraph {
  root: InputNode;
  nodes: DepNode[];
  slots: number;
  /** The root's named dependencies: [name, slot]. */
  named: [string, number][];
  /** The body kind the root and its dependencies read, or null when nobody reads a body. */
  bodyKind: BodyKind | null;
}

/** What the analysis needs besides the spec. */
export interface AnalyzeOptions {
  overrides: DependencyOverrides;
  optimize: boolean;
  /** `GET /items/{id}`, for errors. */
  where: string;
  /** The route's explicit `bodyKind`, if any. */
  bodyKind?: BodyKind;
}

function kindOf(fn: (ctx: any) => unknown): DepKind {
  const name = fn.constructor?.name;
  return name === "AsyncGeneratorFunction" ? "async-generator" : name === "GeneratorFunction" ? "generator" : "plain";
}

function pickBodyKind(nodes: readonly InputNode[], explicit: BodyKind | undefined, where: string): BodyKind | null {
  const value = nodes.some((n) => n.body !== null);
  const fields = nodes.some((n) => n.sources.some((s) => s.location === "form"));
  if (value && fields) throw new VeloxError("VX_BODY_CONFLICT", `${where}: the route and its dependencies mix a JSON body and form fields`);
  if (explicit !== undefined) {
    if ((value && explicit.provides !== "value") || (fields && explicit.provides !== "fields")) {
      throw new VeloxError("VX_BODY_CONFLICT", `${where}: body kind "${explicit.name}" provides ${explicit.provides}, but the route declares ${value ? "a body schema" : "form fields"}`);
    }
    return explicit;
  }
  return value ? jsonBody : fields ? formDataBody : null;
}

/**
 * Analyses a dependant: the root's own inputs, then each dependency after the ones it needs,
 * once per request (unless `useCache: false`), cycles and scope mistakes refused. A dependency is
 * keyed by the security scopes it inherits only when it, or something below it, reads
 * `securityScopes` — so a database session used under `security(user, ["read"])` and directly is
 * still opened once per request.
 *
 * @example
 * ```ts
 * const graph = analyzeDependant({ deps: { user: currentUser } }, [], { overrides, optimize: true, where: "GET /me" });
 * graph.named; // [["user", 1]]
 * ```
 */
export function analyzeDependant(spec: DependantSpec, sideEffects: readonly Dependency<any>[], options: AnalyzeOptions): DepGraph {
  const { overrides, optimize, where } = options;
  const nodes: DepNode[] = [];
  const cache = new Map<Dependency<any>, Map<string, number>>();
  const visiting = new Set<Dependency<any>>();
  const scoped = readsScopes(overrides);

  const visit = (requested: Dependency<any>, inherited: readonly string[], path: string[]): number => {
    const dep = overrides.resolve(requested);
    const root = dep.base ?? dep;
    const scopes = [...new Set([...inherited, ...requested.scopes, ...dep.scopes])];
    const cacheKey = scoped(dep) ? [...scopes].sort().join(" ") : "";
    if (dep.useCache) {
      const slot = cache.get(root)?.get(cacheKey);
      if (slot !== undefined) {
        for (const s of scopes) nodes[slot]!.documentedScopes.add(s);
        return slot;
      }
    }
    if (visiting.has(root)) {
      throw new VeloxError("VX_DEP_CYCLE", `${where}: dependency cycle ${[...path, root.name].join(" -> ")}`);
    }
    visiting.add(root);
    const config = dep.config;
    const subs: [string, number][] = [];
    for (const [name, sub] of Object.entries(config.deps ?? {})) {
      checkDependencyName(name, `${where}: dependency ${dep.name}`);
      subs.push([name, visit(sub, scopes, [...path, root.name])]);
    }
    const after = (config.dependencies ?? []).map((sub) => visit(sub, scopes, [...path, root.name]));
    visiting.delete(root);
    const inputs = compileInputs(config, optimize, `${where}: dependency ${dep.name}`);
    const scope = dep.scope;
    if (scope === "app") {
      if (inputs.sources.length > 0 || inputs.body !== null) {
        throw new VeloxError("VX_DEP_SCOPE", `${where}: app-scoped dependency ${dep.name} cannot read request parameters`);
      }
      for (const slot of [...subs.map(([, s]) => s), ...after]) {
        if (nodes[slot]!.scope !== "app") {
          throw new VeloxError("VX_DEP_SCOPE", `${where}: app-scoped dependency ${dep.name} cannot depend on request-scoped ${nodes[slot]!.dep.name}`);
        }
      }
    }
    const slot = nodes.length;
    nodes.push({
      ...inputs,
      dep,
      fn: dep.fn,
      kind: kindOf(dep.fn),
      scope,
      slot,
      subs,
      after,
      securityScopes: { scopes, scopeStr: scopes.join(" ") },
      documentedScopes: new Set(scopes),
      security: config.security ?? null,
    });
    if (dep.useCache) {
      if (!cache.has(root)) cache.set(root, new Map());
      cache.get(root)!.set(cacheKey, slot);
    }
    return slot;
  };

  const named: [string, number][] = [];
  for (const dep of sideEffects) visit(dep, [], []);
  for (const [name, dep] of Object.entries(spec.deps ?? {})) {
    checkDependencyName(name, where);
    named.push([name, visit(dep, [], [])]);
  }
  const root = compileInputs(spec, optimize, where);
  return { root, nodes, slots: nodes.length, named, bodyKind: pickBodyKind([root, ...nodes], options.bodyKind, where) };
}
