import { depends, type Dependency } from "../di/dependency.ts";
import type { Cache } from "./cache.ts";
import { createCache, type CacheOptions } from "./create-cache.ts";

/**
 * An app-scoped dependency giving routes a {@link Cache}: created on first use with `options`
 * (or an existing cache handed in) and, when it created it, closed when the app closes.
 *
 * @example
 * ```ts
 * const cache = cacheDependency({ ttl: 10_000 });
 * app.get("/items/popular", { deps: { cache } }, ({ cache }) => cache.getOrSet("popular", () => items.popular()));
 * ```
 */
export function cacheDependency(options: CacheOptions | Cache = {}): Dependency<Cache> {
  return depends({ scope: "app" }, async function* () {
    if (isCache(options)) {
      yield options;
      return;
    }
    const cache = await createCache(options);
    try {
      yield cache;
    } finally {
      await cache.close();
    }
  });
}

function isCache(value: CacheOptions | Cache): value is Cache {
  return typeof (value as Cache).getOrSet === "function";
}
