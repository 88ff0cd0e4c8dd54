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
}

/** What one attempt decided. */
export interface GcraDecision {
  readonly allowed: boolean;
  /** The theoretical arrival time to store (ms, same clock as `now`). */
  readonly tat: number;
  /** Requests still allowed right now after this one. */
  readonly remaining: number;
  /** Milliseconds until the whole budget is available again. */
  readonly resetMs: number;
  /** Milliseconds until a denied request would be allowed (0 when allowed). */
  readonly retryAfterMs: number;
}

// Float division of a window by a limit leaves crumbs (0.1 + 0.2): they must not cost a request.
const EPSILON = 1e-6;

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
  return { intervalMs, burstMs: intervalMs * burst };
}

/**
 * The Generic Cell Rate Algorithm: one number per key (the theoretical arrival time), no window
 * edges — after a burst, requests are let through one `intervalMs` apart, so the fixed-window
 * "limit at 0:59 and limit again at 1:00" double burst cannot happen.
 *
 * @example
 * ```ts
 * const d = gcra(stored ?? 0, Date.now(), gcraRule(5, 60_000));
 * if (d.allowed) store(key, d.tat);
 * ```
 */
export function gcra(tat: number, now: number, rule: GcraRule, cost = 1): GcraDecision {
  const base = tat > now ? tat : now;
  const next = base + rule.intervalMs * cost;
  const allowAt = next - rule.burstMs;
  if (allowAt - now > EPSILON) return { allowed: false, tat: base, remaining: 0, resetMs: base - now, retryAfterMs: allowAt - now };
  const remaining = Math.floor((rule.burstMs - (next - now)) / rule.intervalMs + EPSILON);
  return { allowed: true, tat: next, remaining: remaining < 0 ? 0 : remaining, resetMs: next - now, retryAfterMs: 0 };
}
