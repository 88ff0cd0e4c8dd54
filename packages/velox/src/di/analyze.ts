import { VeloxError } from "../errors.ts";
import { compileSource, type SourceExtractor } from "../params/extract.ts";
import type { AnySchema } from "../schema/types.ts";
import { compileValidator, type ValidateFn } from "../schema/validator.ts";
import type { Dependency, SecurityScopes, SecuritySchemeInfo } from "./dependency.ts";
import type { DependencyOverrides } from "./overrides.ts";
import { checkDependencyName } from "./reserved.ts";

/** How a dependency function produces its value. */
export type DepKind = "plain" | "generator" | "async-generator";

/** One dependency call in a route's resolution order. */
export interface DepNode {
  dep: Dependency<any>;
  fn: (ctx: any) => unknown;
  kind: DepKind;
  scope: "request" | "function" | "app";
  slot: number;
  /** Sub-dependencies injected by name: [name, slot]. */
  subs: [string, number][];
  /** Slots of side-effect sub-dependencies (they only need to have run). */
  after: number[];
  sources: SourceExtractor[];
  body: ValidateFn | null;
  bodySchema: AnySchema | null;
  securityScopes: SecurityScopes;
  security: SecuritySchemeInfo | null;
}

/** A route's dependency graph, analysed once. */
export interface DepGraph {
  nodes: DepNode[];
  slots: number;
  /** The route's named dependencies: [name, slot]. */
  named: [string, number][];
  needsJson: boolean;
  needsForm: boolean;
  needsCookies: boolean;
}

function kindOf(fn: (ctx: any) => unknown): DepKind {
  const name = fn.constructor?.name;
  return name === "AsyncGeneratorFunction" ? "async-generator" : name === "GeneratorFunction" ? "generator" : "plain";
}

const SOURCE_KEYS = [["path", "path"], ["query", "query"], ["headers", "header"], ["cookies", "cookie"], ["form", "form"]] as const;

/**
 * Builds the resolution order of a route's dependencies: each dependency after the ones it needs,
 * each (dependency, scopes) pair once unless `useCache: false`, cycles and scope mistakes refused.
 */
export function analyzeDependencies(
  named: Record<string, Dependency<any>>,
  sideEffects: readonly Dependency<any>[],
  overrides: DependencyOverrides,
  optimize: boolean,
  where: string,
): DepGraph {
  const nodes: DepNode[] = [];
  const cache = new Map<Dependency<any>, Map<string, number>>();
  const visiting = new Set<Dependency<any>>();

  const visit = (requested: Dependency<any>, inherited: readonly string[], path: string[]): number => {
    const dep = overrides.resolve(requested);
    const root = dep.base ?? dep;
    const scopes = [...new Set([...inherited, ...requested.scopes, ...dep.scopes])];
    const scopeKey = [...scopes].sort().join(" ");
    if (dep.useCache) {
      const slot = cache.get(root)?.get(scopeKey);
      if (slot !== undefined) return slot;
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
    const sources: SourceExtractor[] = [];
    for (const [key, location] of SOURCE_KEYS) {
      const spec = config[key];
      if (spec) sources.push(compileSource(location, spec, optimize));
    }
    const scope = dep.scope;
    if (scope === "app") {
      if (sources.length > 0 || config.body) {
        throw new VeloxError("VX_DEP_SCOPE", `${where}: app-scoped dependency ${dep.name} cannot read request parameters`);
      }
      for (const [, slot] of [...subs, ...after.map((s) => ["", s] as [string, number])]) {
        if (nodes[slot]!.scope !== "app") {
          throw new VeloxError("VX_DEP_SCOPE", `${where}: app-scoped dependency ${dep.name} cannot depend on request-scoped ${nodes[slot]!.dep.name}`);
        }
      }
    }
    const slot = nodes.length;
    nodes.push({
      dep,
      fn: dep.fn,
      kind: kindOf(dep.fn),
      scope,
      slot,
      subs,
      after,
      sources,
      body: config.body ? compileValidator(config.body, optimize) : null,
      bodySchema: config.body ?? null,
      securityScopes: { scopes, scopeStr: scopes.join(" ") },
      security: config.security ?? null,
    });
    if (dep.useCache) {
      if (!cache.has(root)) cache.set(root, new Map());
      cache.get(root)!.set(scopeKey, slot);
    }
    return slot;
  };

  const namedSlots: [string, number][] = [];
  for (const dep of sideEffects) visit(dep, [], []);
  for (const [name, dep] of Object.entries(named)) {
    checkDependencyName(name, where);
    namedSlots.push([name, visit(dep, [], [])]);
  }
  return {
    nodes,
    slots: nodes.length,
    named: namedSlots,
    needsJson: nodes.some((n) => n.body !== null),
    needsForm: nodes.some((n) => n.sources.some((s) => s.location === "form")),
    needsCookies: nodes.some((n) => n.sources.some((s) => s.location === "cookie")),
  };
}
