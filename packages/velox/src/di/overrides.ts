import { Dependency, depends } from "./dependency.ts";

/**
 * Replacements for dependencies, for tests: `app.overrides.set(getDb, fakeDb)`. Changing it makes
 * the app re-analyse its routes once, on the next request — never per request.
 *
 * @example
 * ```ts
 * app.overrides.set(currentUser, () => ({ id: 1, name: "test" }));
 * // ... run tests ...
 * app.overrides.clear();
 * ```
 */
export class DependencyOverrides {
  private readonly map = new Map<Dependency<any>, Dependency<any>>();
  /** Bumped on every change; the app compares it to decide whether to re-analyse. */
  version = 0;

  /** @param onChange called after every change (the app marks its routes for re-analysis). */
  constructor(private readonly onChange: () => void = () => {}) {}

  /** Replaces `dep` (everywhere it is used) with another dependency or a plain function. */
  set<T>(dep: Dependency<T>, replacement: Dependency<T> | ((ctx: any) => unknown)): this {
    const root = dep.base ?? dep;
    this.map.set(root, replacement instanceof Dependency ? replacement : depends(replacement as (ctx: any) => T));
    this.version++;
    this.onChange();
    return this;
  }

  delete(dep: Dependency<any>): boolean {
    const removed = this.map.delete(dep.base ?? dep);
    if (removed) {
      this.version++;
      this.onChange();
    }
    return removed;
  }

  clear(): void {
    if (this.map.size === 0) return;
    this.map.clear();
    this.version++;
    this.onChange();
  }

  /** The dependency to run in place of `dep` (itself when not overridden). */
  resolve(dep: Dependency<any>): Dependency<any> {
    if (this.map.size === 0) return dep;
    const replacement = this.map.get(dep.base ?? dep);
    return replacement ?? dep;
  }

  get size(): number {
    return this.map.size;
  }
}
