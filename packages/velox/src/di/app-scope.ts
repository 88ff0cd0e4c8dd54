import type { Dependency } from "./dependency.ts";
import type { DepNode } from "./analyze.ts";

type AnyIterator = Iterator<unknown, unknown, unknown> | AsyncIterator<unknown, unknown, unknown>;

/**
 * The app's singletons (`scope: "app"`): created once, at startup or first use, and disposed in
 * reverse order of creation when the app closes. FastAPI has no equivalent.
 */
export class AppScope {
  private readonly values = new Map<Dependency<any>, Promise<unknown>>();
  private readonly resolved = new Map<Dependency<any>, unknown>();
  private readonly cleanups: AnyIterator[] = [];
  constructor(private readonly app: { state: Record<string, any> }) {}

  /** The singleton of `node`, created on first call; `resolveSub` gives its sub-dependencies. */
  get(node: DepNode, subs: Record<string, unknown>): Promise<unknown> {
    const key = node.dep.base ?? node.dep;
    let value = this.values.get(key);
    if (!value) {
      value = this.create(node, subs);
      this.values.set(key, value);
      value.then((v) => this.resolved.set(key, v), () => this.values.delete(key));
    }
    return value;
  }

  /** The singleton's value when it is already created, so requests need not await it. */
  peek(node: DepNode): { value: unknown } | undefined {
    const key = node.dep.base ?? node.dep;
    return this.resolved.has(key) ? { value: this.resolved.get(key) } : undefined;
  }

  has(dep: Dependency<any>): boolean {
    return this.values.has(dep.base ?? dep);
  }

  private async create(node: DepNode, subs: Record<string, unknown>): Promise<unknown> {
    const result = node.fn({ app: this.app, ...subs });
    if (node.kind === "plain") return await result;
    const iterator = result as AnyIterator;
    const first = await iterator.next();
    this.cleanups.push(iterator);
    return first.value;
  }

  /** Disposes every singleton (reverse creation order); returns the errors met. */
  async dispose(): Promise<unknown[]> {
    const errors: unknown[] = [];
    while (this.cleanups.length > 0) {
      const iterator = this.cleanups.pop()!;
      try {
        await iterator.next();
      } catch (err) {
        errors.push(err);
      }
    }
    this.values.clear();
    this.resolved.clear();
    return errors;
  }
}
