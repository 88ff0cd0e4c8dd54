import type { MetricsPlugin } from "../metrics/metrics.ts";
import { OBSERVE, type DecisionOutcome, type RateLimiter } from "./limiter.ts";

/** The counter's name in the registry. */
export const DECISIONS = "velox_ratelimit_decisions_total";
const OUTCOMES: readonly DecisionOutcome[] = ["allowed", "limited", "store_error", "key_error"];

interface Tracked {
  readonly limiter: string;
  readonly counts: Record<DecisionOutcome, number>;
}

// One counter per registry, whatever the number of calls: a second prom-client metric of the
// same name would throw.
const trackedBy = new WeakMap<object, Set<Tracked>>();

/**
 * Counts the decisions of rate limiters in `velox/metrics`' registry:
 * `velox_ratelimit_decisions_total{limiter, outcome}`, where `outcome` is `allowed`, `limited`
 * (a 429), `store_error` (the store failed or timed out; the limiter's failure policy answered) or
 * `key_error` (the key function threw). A request costs one increment of a plain number; the
 * counter reads the numbers when scraped. Without this call a limiter counts nothing (one null
 * check per request). Returns a function that stops counting.
 *
 * @example
 * ```ts
 * const observed = metrics();
 * app.register(observed);
 * const login = rateLimit({ name: "login", limit: 5, windowMs: 60_000 });
 * rateLimitMetrics(observed, login);
 * ```
 */
export function rateLimitMetrics(observed: Pick<MetricsPlugin, "counter" | "registry">, ...limiters: RateLimiter[]): () => void {
  let tracked = trackedBy.get(observed.registry);
  if (tracked === undefined) {
    const all = new Set<Tracked>();
    tracked = all;
    trackedBy.set(observed.registry, all);
    observed.counter({
      name: DECISIONS,
      help: "Rate-limit decisions by limiter and outcome (allowed, limited, store_error, key_error).",
      labelNames: ["limiter", "outcome"],
      collect() {
        this.reset();
        for (const t of all) for (const outcome of OUTCOMES) this.inc({ limiter: t.limiter, outcome }, t.counts[outcome]);
      },
    });
  }
  const mine = limiters.map((limiter) => {
    const entry: Tracked = { limiter: limiter.policy, counts: { allowed: 0, limited: 0, store_error: 0, key_error: 0 } };
    const counts = entry.counts;
    limiter[OBSERVE]((outcome) => {
      counts[outcome]++;
    });
    tracked.add(entry);
    return { limiter, entry };
  });
  return () => {
    for (const { limiter, entry } of mine) {
      limiter[OBSERVE](null);
      tracked.delete(entry);
    }
  };
}
