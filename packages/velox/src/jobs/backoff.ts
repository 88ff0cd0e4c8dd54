/** How long to wait before retry n: exponential from `baseMs`, capped at `maxMs`, with jitter. */
export interface BackoffPolicy {
  /** Delay before the first retry (default 1000 ms). */
  baseMs: number;
  /** Largest delay (default 1 hour). */
  maxMs: number;
  /** "full" (default): a random delay in [d/2, d] — spreads a burst of failures; "none": exactly d. */
  jitter: "full" | "none";
}

/** The default: 1 s, 2 s, 4 s … up to an hour, each between half and all of that. */
export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({ baseMs: 1_000, maxMs: 3_600_000, jitter: "full" });

/**
 * The delay before the retry that follows failed attempt `attempt` (1-based): `baseMs · 2^(attempt-1)`,
 * capped at `maxMs`; with jitter a uniform pick in [d/2, d] (AWS's "equal jitter": never
 * retries at once, still de-synchronises a burst).
 *
 * @example
 * ```ts
 * backoffDelay(3, { baseMs: 1000, maxMs: 60_000, jitter: "none" }); // 4000
 * ```
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const delay = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  if (policy.jitter === "none") return delay;
  return Math.round(delay / 2 + (delay / 2) * random());
}
