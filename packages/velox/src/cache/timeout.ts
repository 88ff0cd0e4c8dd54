/**
 * Thrown when a Redis command of the cache takes longer than its budget.
 *
 * @example
 * ```ts
 * try { await withTimeout(redis.get(key), 50); } catch (err) { if (err instanceof CacheTimeoutError) fallBack(); }
 * ```
 */
export class CacheTimeoutError extends Error {
  constructor(ms: number) {
    super(`cache: Redis did not answer within ${ms} ms`);
    this.name = "CacheTimeoutError";
  }
}

/**
 * `promise`, or a {@link CacheTimeoutError} after `ms`. The command itself is not cancelled
 * (Redis has no way to): a black-holed server's late answers are ignored.
 *
 * @example
 * ```ts
 * const text = await withTimeout(redis.get("k"), 50);
 * ```
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CacheTimeoutError(ms)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
