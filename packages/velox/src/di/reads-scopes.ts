import type { Dependency } from "./dependency.ts";
import type { DependencyOverrides } from "./overrides.ts";

const MENTIONS_SCOPES = /\bsecurityScopes\b/;

/**
 * Whether a dependency's value can depend on the security scopes it is required with: it says
 * so (`securityScopes: true`), or its function mentions `securityScopes` (destructured or read), or
 * a dependency below it does. Only those are cached per scope set; everything else runs once per
 * request whatever `security(...)` wraps it. Reading the function's source errs on the safe side:
 * a false "yes" only costs a second call, as before.
 *
 * @example
 * ```ts
 * const scoped = readsScopes(overrides);
 * scoped(depends(({ securityScopes }) => securityScopes.scopes)); // true
 * scoped(getDb); // false
 * ```
 */
export function readsScopes(overrides: DependencyOverrides): (dep: Dependency<any>) => boolean {
  const known = new Map<Dependency<any>, boolean>();
  const check = (requested: Dependency<any>): boolean => {
    const dep = overrides.resolve(requested);
    const root = dep.base ?? dep;
    const hit = known.get(root);
    if (hit !== undefined) return hit;
    known.set(root, false); // a cycle is reported by the analysis; here it only must not loop
    const config = dep.config;
    let result = config.securityScopes === true || MENTIONS_SCOPES.test(Function.prototype.toString.call(dep.fn));
    if (!result) for (const sub of Object.values(config.deps ?? {})) if (check(sub)) result = true;
    if (!result) for (const sub of config.dependencies ?? []) if (check(sub)) result = true;
    known.set(root, result);
    return result;
  };
  return check;
}
