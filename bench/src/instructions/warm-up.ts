/** How many uncounted requests a server gets before its instructions are counted. */
import type { ServerDef } from "../registry.ts";

/**
 * Under valgrind, V8 is done optimizing the hot path after about 10,000 requests (measured with
 * counts per 1,000 requests); CPython has no JIT. Bun's JavaScriptCore tiers up later: after
 * 10,000, Elysia's GET /users still counted twice its figure after 30,000.
 */
const DEFAULT_WARMUP = 10_000;
// Velox on Bun (more code to tier up) still moved by up to 33 % between the halves after 30,000,
// and by 2–8 % after 100,000; after 10,000 its halves were 58k and 89k per request.
const LATER_TIER_UP: Record<string, number> = { elysia: 30_000, "velox-bun": 100_000 };

/**
 * The warm-up for a server: what `--warmup-requests` asked for, else the server's default.
 *
 * @example
 * ```ts
 * warmupRequests(findServer("elysia")!, null); // 30000
 * warmupRequests(findServer("raw")!, 500); // 500
 * ```
 */
export function warmupRequests(def: ServerDef, asked: number | null): number {
  return asked ?? LATER_TIER_UP[def.name] ?? DEFAULT_WARMUP;
}
