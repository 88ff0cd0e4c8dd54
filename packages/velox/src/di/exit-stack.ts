type AnyIterator = Iterator<unknown, unknown, unknown> | AsyncIterator<unknown, unknown, unknown>;

interface Entry {
  iterator: AnyIterator;
  scope: "request" | "function" | "app";
}

/**
 * The cleanups of a request's generator dependencies, run in reverse order exactly once: on
 * success by resuming each generator, on failure by throwing the error into it (so `catch` and
 * `finally` blocks see it, as in FastAPI).
 */
export class ExitStack {
  private readonly entries: Entry[] = [];

  push(iterator: AnyIterator, scope: Entry["scope"]): void {
    this.entries.push({ iterator, scope });
  }

  get size(): number {
    return this.entries.length;
  }

  /** Closes the entries of one scope (or all) after success. Cleanup errors are collected and the first rethrown. */
  async close(scope: Entry["scope"] | "all"): Promise<void> {
    let first: unknown = undefined;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      if (scope !== "all" && entry.scope !== scope) continue;
      this.entries.splice(i, 1);
      try {
        await entry.iterator.next();
      } catch (err) {
        first ??= err;
      }
    }
    if (first !== undefined) throw first;
  }

  /**
   * Throws `error` into every open generator, innermost first. A generator may replace the error
   * by raising another one; the error that comes out is returned.
   */
  async abort(error: unknown): Promise<unknown> {
    let current = error;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      this.entries.splice(i, 1);
      if (typeof entry.iterator.throw !== "function") continue;
      try {
        await entry.iterator.throw(current);
      } catch (err) {
        current = err;
      }
    }
    return current;
  }
}
