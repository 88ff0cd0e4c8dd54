/**
 * The rule of one limiter in GCRA terms: one request "costs" `intervalMs` of the budget, and the
 * budget is `burstMs` (`limit` requests in `windowMs` with `burst` = `limit`: both equal the window).
 *
 * @example
 * ```ts
 * const rule = gcraRule(100, 60_000); // 100 requests a minute: one every 600 ms, bursts up to 100
 * ```
 */
export interface GcraRule {
  readonly intervalMs: number;
  readonly burstMs: number;
  /** One request's cost in whole microseconds (`intervalMs` rounded, at least 1): the arithmetic is on integers, so it is exact. */
  readonly intervalUs: number;
  /** The budget in whole microseconds: `intervalUs` × burst. */
  readonly burstUs: number;
}

/** What one attempt decided. */
export interface GcraDecision {
  readonly allowed: boolean;
  /** The theoretical arrival time to store, in whole microseconds of the clock `now` is read from (give it back to {@link gcra} as it is). */
  readonly tat: number;
  /** Requests still allowed right now after this one. */
  readonly remaining: number;
  /** Milliseconds until the whole budget is available again. */
  readonly resetMs: number;
  /** Milliseconds until a denied request would be allowed (0 when allowed). */
  readonly retryAfterMs: number;
}

/**
 * The rule for `limit` requests per `windowMs`, absorbing bursts of `burst` (default `limit`).
 *
 * @example
 * ```ts
 * gcraRule(10, 1_000, 2); // 10/s, at most 2 back to back
 * ```
 */
export function gcraRule(limit: number, windowMs: number, burst: number = limit): GcraRule {
  const intervalMs = windowMs / limit;
  const intervalUs = Math.max(1, Math.round((windowMs * 1000) / limit));
  return { intervalMs, burstMs: intervalMs * burst, intervalUs, burstUs: intervalUs * burst };
}

/**
 * The Generic Cell Rate Algorithm: one number per key (the theoretical arrival time), no window
 * edges — after a burst, requests are let through one `intervalMs` apart, so the fixed-window
 * "limit at 0:59 and limit again at 1:00" double burst cannot happen. `now` is in milliseconds;
 * the arithmetic is on whole microseconds, which doubles hold exactly at today's clock (in
 * milliseconds, `now + 142.857…` already rounds, and a limit of 7 per second allowed 6).
 *
 * @example
 * ```ts
 * const d = gcra(stored ?? 0, Date.now(), gcraRule(5, 60_000));
 * if (d.allowed) store(key, d.tat);
 * ```
 */
export function gcra(tat: number, now: number, rule: GcraRule, cost = 1): GcraDecision {
  const nowUs = Math.round(now * 1000);
  const base = tat > nowUs ? tat : nowUs;
  const next = base + rule.intervalUs * cost;
  const allowAt = next - rule.burstUs;
  if (allowAt > nowUs) return { allowed: false, tat: base, remaining: 0, resetMs: (base - nowUs) / 1000, retryAfterMs: (allowAt - nowUs) / 1000 };
  const remaining = Math.floor((rule.burstUs - (next - nowUs)) / rule.intervalUs);
  return { allowed: true, tat: next, remaining: remaining < 0 ? 0 : remaining, resetMs: (next - nowUs) / 1000, retryAfterMs: 0 };
}
