// Resilience with velox/resilience: a flaky upstream behind a timeout (aborting the call through
// its AbortSignal), retries with jittered backoff, a circuit breaker and a bulkhead, with a
// fallback answer. An open circuit or a full bulkhead answers 503 with Retry-After by itself.
// Run: `node --conditions=velox-source packages/velox/bin/velox.js run examples/resilience/app.ts`
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { Velox } from "velox";
import { resilience } from "velox/resilience";

/** A pretend upstream: tests flip it between healthy, failing and slow. */
export const upstream = { mode: "healthy" as "healthy" | "failing" | "slow", calls: 0 };

async function fetchQuote(symbol: string, signal: AbortSignal): Promise<{ symbol: string; price: number }> {
  upstream.calls++;
  if (upstream.mode === "failing") throw new Error("upstream 502");
  if (upstream.mode === "slow") await sleep(10_000, undefined, { signal }); // aborted by the timeout
  return { symbol, price: 42 };
}

export const quotes = resilience({
  name: "quotes",
  timeoutMs: 100,
  retry: { retries: 2, initialDelayMs: 10, maxDelayMs: 50 },
  breaker: { threshold: 5, halfOpenAfterMs: 5_000 },
  bulkhead: { limit: 10, queue: 10 },
});

/** The same call as a plain typed function: (symbol) => Promise<{ symbol, price }>. */
export const getQuote = quotes.wrap((signal, symbol: string) => fetchQuote(symbol, signal));

export const app = new Velox({ title: "Resilience example" });
const path = { symbol: z.string().regex(/^[A-Z]{1,5}$/) };

app.get("/quotes/{symbol}", { path, deps: { guard: quotes.dependency }, responses: quotes.responses }, ({ path, guard }) =>
  guard.run((signal) => fetchQuote(path.symbol, signal)));

app.get("/quotes/{symbol}/or-stale", { path }, async ({ path }) =>
  quotes.run((signal) => fetchQuote(path.symbol, signal), { fallback: () => ({ symbol: path.symbol, price: null, stale: true }) }));
