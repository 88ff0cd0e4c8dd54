import { VeloxError } from "../errors.ts";
import type { Cache, CacheCallOptions } from "./cache.ts";

/** Options of {@link cached}. */
export interface CachedOptions<A extends unknown[], T> extends Omit<CacheCallOptions<T>, "tags"> {
  cache: Cache;
  /** The key of a call (default: the function's name and its arguments as JSON). */
  key?: (...args: A) => string;
  /** Tags of a call's entry, fixed or from its arguments. */
  tags?: readonly string[] | ((...args: A) => readonly string[]);
}

/**
 * Wraps an async function so its results are cached: same arguments, same key, one call of the
 * function per key while a value lives (and one at a time, however many callers miss at once).
 *
 * @example
 * ```ts
 * const popular = cached((limit: number) => items.popular(limit), { cache, ttl: 5_000, key: (limit) => `popular:${limit}`, tags: ["items"] });
 * await popular(10);
 * ```
 */
export function cached<A extends unknown[], T>(fn: (...args: A) => T | Promise<T>, options: CachedOptions<A, T>): (...args: A) => Promise<T> {
  const { cache, key, tags, ...call } = options;
  if (key === undefined && fn.name === "") throw new VeloxError("VX_INVALID_OPTION", "cached(): an anonymous function needs a `key` option");
  const keyOf = key ?? ((...args: A) => `${fn.name}:${JSON.stringify(args)}`);
  return (...args: A) => cache.getOrSet(keyOf(...args), () => fn(...args), { ...call, tags: typeof tags === "function" ? tags(...args) : tags });
}
