/**
 * HTTP caching over a real socket: ETags from the body or a version, 304 on If-None-Match
 * (weak comparison, `*`, lists, garbage), Cache-Control, and a cached route through the cache
 * dependency.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { cacheControl, cacheDependency, httpCaching } from "../../src/cache/index.ts";
import { serveForTest } from "../../src/testing/index.ts";

let handled = 0;
let version: string = "7";
const app = new Velox({ logger: false });
const cache = cacheDependency({ ttl: 60_000 });
app.get("/popular", { deps: { cache }, hooks: httpCaching({ scope: "public", maxAge: 5, staleWhileRevalidate: 30 }), response: z.array(z.object({ id: z.number() })) }, ({ cache }) =>
  cache.getOrSet("popular", () => {
    handled++;
    return [{ id: 1 }, { id: 2 }];
  }),
);
app.get("/versioned", { hooks: httpCaching({ version: () => version, etag: "strong", noCache: true }) }, () => {
  handled++;
  return { version };
});
app.get("/missing", { hooks: httpCaching({ maxAge: 5 }) }, () => {
  throw new Error("boom");
});

let live: Awaited<ReturnType<typeof serveForTest>>;
beforeAll(async () => {
  live = await serveForTest(app);
});
afterAll(() => live.close());
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${live.url}${path}`, { headers });

describe("httpCaching", () => {
  it("sends a weak ETag of the body with Cache-Control, and 304 for a matching If-None-Match", async () => {
    const first = await get("/popular");
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual([{ id: 1 }, { id: 2 }]);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers.get("cache-control")).toBe("public, max-age=5, stale-while-revalidate=30");
    for (const inm of [etag, etag.slice(2), `"other", ${etag}`, "*"]) {
      const again = await get("/popular", { "if-none-match": inm });
      expect(again.status, inm).toBe(304);
      expect(again.headers.get("etag")).toBe(etag);
      expect(again.headers.get("content-length")).toBeNull();
      expect(await again.text()).toBe("");
    }
    for (const inm of ['"other"', "garbage", ",,,", 'W/"', `${etag.slice(0, -2)}"`]) expect((await get("/popular", { "if-none-match": inm })).status, inm).toBe(200);
    expect(handled).toBe(1); // the body came from the cache after the first request
  });

  it("answers 304 from a version without running the handler", async () => {
    handled = 0;
    const first = await get("/versioned");
    expect(first.headers.get("etag")).toBe('"7"');
    expect(first.headers.get("cache-control")).toBe("private, no-cache");
    expect((await get("/versioned", { "if-none-match": '"7"' })).status).toBe(304);
    expect((await get("/versioned", { "if-none-match": 'W/"7"' })).status).toBe(304);
    expect(handled).toBe(1);
    version = '8"\r\nx-evil: 1';
    const changed = await get("/versioned", { "if-none-match": '"7"' });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("x-evil")).toBeNull();
    expect(changed.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  });

  it("leaves errors and writes alone", async () => {
    const failed = await get("/missing", { "if-none-match": "*" });
    expect(failed.status).toBe(500);
    expect(failed.headers.get("etag")).toBeNull();
  });
});

describe("cacheControl", () => {
  it("builds the directives", () => {
    expect(cacheControl({})).toBe("private");
    expect(cacheControl({ scope: "public", sMaxAge: 60, staleIfError: 300, mustRevalidate: true, immutable: true, maxAge: 1.7 })).toBe("public, max-age=1, s-maxage=60, stale-if-error=300, must-revalidate, immutable");
    expect(cacheControl({ noStore: true, maxAge: 5 })).toBe("no-store");
  });
});
