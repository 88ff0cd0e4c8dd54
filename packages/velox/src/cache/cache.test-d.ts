import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { cached, createCache, type Cache } from "./index.ts";

describe("velox/cache types", () => {
  it("getOrSet and cached keep the source's type", async () => {
    const cache = await createCache();
    expectTypeOf(cache).toEqualTypeOf<Cache>();
    expectTypeOf(cache.getOrSet("k", async () => ({ id: 1 }))).toEqualTypeOf<Promise<{ id: number }>>();
    expectTypeOf(cache.get("k", { schema: z.object({ at: z.coerce.date() }) })).toEqualTypeOf<Promise<{ at: Date } | undefined>>();
    const square = cached(async (n: number) => n * n, { cache, key: (n) => `sq:${n}` });
    expectTypeOf(square).toEqualTypeOf<(n: number) => Promise<number>>();
    // @ts-expect-error the key function gets the wrapped function's arguments
    cached(async (n: number) => n, { cache, key: (n: string) => n });
  });
});
