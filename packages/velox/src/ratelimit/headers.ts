import type { GcraDecision } from "./gcra.ts";

/** Header names, lower-case as Velox stores them. */
export const RATELIMIT = "ratelimit";
export const RATELIMIT_POLICY = "ratelimit-policy";
export const RETRY_AFTER = "retry-after";

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000 - 1e-9));

/**
 * The `RateLimit-Policy` item of a limiter (draft-ietf-httpapi-ratelimit-headers-09/10): its
 * name, quota `q` and window `w` in seconds.
 *
 * @example
 * ```ts
 * policyItem("login", 5, 60_000); // "\"login\";q=5;w=60"
 * ```
 */
export function policyItem(name: string, limit: number, windowMs: number): string {
  return `"${name}";q=${limit};w=${Math.max(1, seconds(windowMs))}`;
}

/**
 * The `RateLimit` item of one decision: remaining units `r` and `t`, the seconds until the whole
 * quota is back.
 *
 * @example
 * ```ts
 * rateLimitItem("login", decision); // "\"login\";r=4;t=12"
 * ```
 */
export function rateLimitItem(name: string, decision: GcraDecision): string {
  return `"${name}";r=${decision.remaining};t=${seconds(decision.resetMs)}`;
}

/**
 * `Retry-After` in whole seconds, at least 1 (a client told "0" would retry at once).
 *
 * @example
 * ```ts
 * retryAfter(1_200); // "2"
 * ```
 */
export function retryAfter(ms: number): string {
  return String(Math.max(1, seconds(ms)));
}

/** Adds an item to a list-valued field: several limiters on a route each report their own. */
export function appendItem(headers: Record<string, unknown>, name: string, item: string): void {
  const previous = headers[name];
  headers[name] = typeof previous === "string" && previous !== "" ? `${previous}, ${item}` : item;
}
