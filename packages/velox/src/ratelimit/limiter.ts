import type { RequestContext } from "../context.ts";
import { depends, type Dependency, type DependencyContext, type DependsConfig } from "../di/dependency.ts";
import { VeloxError } from "../errors.ts";
import { HTTPException } from "../http-exception.ts";
import { middlewarePlugin, type MiddlewarePlugin } from "../middleware/hook-types.ts";
import type { ResponseSpec } from "../route-types.ts";
import { gcraRule, type GcraDecision } from "./gcra.ts";
import { appendItem, policyItem, rateLimitItem, RATELIMIT, RATELIMIT_POLICY, RETRY_AFTER, retryAfter } from "./headers.ts";
import { boundedKey, byClientAddress, type RateLimitKey } from "./keys.ts";
import { limitResponses } from "./limit-responses.ts";
import { memoryStore } from "./memory-store.ts";
import type { RateLimitStore } from "./store.ts";

/** What the limiter does when it cannot decide (store unreachable or failing, key function throwing). */
export type FailurePolicy = "open" | "closed";

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Requests allowed per window; `0` refuses every request (a kill switch). */
  limit: number;
  /** The window in milliseconds: `limit` requests per `windowMs`, spread evenly after a burst. */
  windowMs: number;
  /** Requests allowed back to back (default `limit`); lower it to smooth traffic. */
  burst?: number;
  /** What requests are counted under (default {@link byClientAddress}). */
  key?: RateLimitKey;
  /** Where the counts live (default a {@link memoryStore} of this limiter's own). */
  store?: RateLimitStore;
  /**
   * `open`: let the request through (unlimited) when the limiter cannot decide; `closed`: answer
   * 503. Required with any store but memory, so the choice is made on purpose.
   */
  failure?: FailurePolicy;
  /** The policy's name in the headers and in store keys (default `default`): `[A-Za-z0-9_.-]{1,64}`. */
  name?: string;
  /** One budget per route (`ctx.route`) instead of one shared by every route the limiter guards. */
  perRoute?: boolean;
  /** The 429's `detail` (default "Too many requests"). */
  detail?: string;
  /** Send `RateLimit` and `RateLimit-Policy` on allowed responses too (default true; 429s always carry them). */
  headers?: boolean;
}

/** What the limiter decided for one request; its dependency injects it. */
export interface RateLimitStatus {
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the whole quota is back. */
  readonly resetSeconds: number;
}

/** The context a limiter reads: the request and the response headers. */
type LimitContext = Pick<RequestContext, "req" | "response" | "log" | "route">;

/**
 * A rate limiter: a plugin for `app.register` or `router` (an `onRequest` hook, before the body is
 * read), `hooks` for one route, `dependency`/`keyed` to limit on values only a dependency knows
 * (a user, a form field), and `responses` to document its 429 in OpenAPI.
 */
export interface RateLimiter extends MiddlewarePlugin {
  /** The policy's name (the `name` option); the function's own `name` is `rateLimit(<policy>)`. */
  readonly policy: string;
  readonly limit: number;
  readonly windowMs: number;
  /** `{ 429: ..., 503?: ... }` for a route's or router's `responses`. */
  readonly responses: Record<number, ResponseSpec>;
  /** The limiter as a dependency keyed by its `key` function. */
  readonly dependency: Dependency<RateLimitStatus | null>;
  /**
   * A dependency keyed by what `key` returns from its own validated inputs and dependencies.
   *
   * @example
   * ```ts
   * const perUsername = limiter.keyed({ form: { username: z.string().max(150) } }, ({ form }) => form.username.toLowerCase());
   * ```
   */
  keyed<const C extends DependsConfig>(config: C, key: (ctx: DependencyContext<C>) => string | null | undefined | Promise<string | null | undefined>): Dependency<RateLimitStatus | null>;
  /** Counts one request under `key` for `ctx`: sets the headers, or throws the 429 (or the 503 when failing closed). */
  check(ctx: LimitContext, key: string | null | undefined): RateLimitStatus | null | Promise<RateLimitStatus | null>;
  /** Releases the store's own connections (a Redis store opened from a URL). */
  close(): Promise<void>;
  /** @internal Sets (or, with null, removes) the function told of every decision. */
  [OBSERVE](observer: DecisionObserver | null): void;
}

/** What one decision was, as `velox_ratelimit_decisions_total` counts it. */
export type DecisionOutcome = "allowed" | "limited" | "store_error" | "key_error";
/** @internal */
export type DecisionObserver = (outcome: DecisionOutcome) => void;
/** Where {@link rateLimitMetrics} plugs its counter in. @internal */
export const OBSERVE: unique symbol = Symbol("velox.ratelimit.observe");

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const FAILURE_LOG_EVERY_MS = 10_000;

function checkOptions(options: RateLimitOptions): void {
  const { limit, windowMs, burst } = options ?? ({} as RateLimitOptions);
  if (!Number.isInteger(limit) || limit < 0) throw new VeloxError("VX_INVALID_OPTION", `rateLimit: limit must be a non-negative integer, got ${String(limit)}`);
  if (typeof windowMs !== "number" || !Number.isFinite(windowMs) || windowMs <= 0) throw new VeloxError("VX_INVALID_OPTION", `rateLimit: windowMs must be a positive number of milliseconds, got ${String(windowMs)}`);
  if (burst !== undefined && (!Number.isInteger(burst) || burst < 1)) throw new VeloxError("VX_INVALID_OPTION", "rateLimit: burst must be a positive integer");
  if (options.name !== undefined && !NAME.test(options.name)) throw new VeloxError("VX_INVALID_OPTION", `rateLimit: name must match ${NAME}`);
  if (options.failure !== undefined && options.failure !== "open" && options.failure !== "closed") throw new VeloxError("VX_INVALID_OPTION", 'rateLimit: failure must be "open" or "closed"');
  if (options.store !== undefined && options.store.kind !== "memory" && options.failure === undefined) {
    throw new VeloxError("VX_INVALID_OPTION", `rateLimit: a ${options.store.kind} store can fail; choose failure: "open" (let requests through) or "closed" (answer 503)`);
  }
}

/**
 * Limits requests per client address (by default), user, API key or any key, with GCRA — no
 * double burst at window edges — in memory or in Redis (at most one script call per request: a
 * `redis://` store decides a whole event-loop turn in one). Allowed responses carry `RateLimit`
 * and `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers); refused ones get 429 with
 * `Retry-After` and `{"detail": "Too many requests"}` (or problem+json with the app's
 * `errorFormat: "problem"`), through the app's exception handlers.
 *
 * @example
 * ```ts
 * import { rateLimit, redisStore } from "velox/ratelimit";
 * const api = rateLimit({ limit: 100, windowMs: 60_000, name: "api" });
 * app.register(api);                                     // every route
 * const login = rateLimit({ limit: 5, windowMs: 60_000, name: "login", store: redisStore({ url }), failure: "closed" });
 * app.post("/login", { hooks: login.hooks, responses: login.responses }, handler);
 * ```
 */
export function rateLimit(options: RateLimitOptions): RateLimiter {
  checkOptions(options);
  const { limit, windowMs } = options;
  const name = options.name ?? "default";
  const store = options.store ?? memoryStore();
  const failure: FailurePolicy = options.failure ?? "closed";
  const keyOf = options.key ?? byClientAddress();
  const perRoute = options.perRoute ?? false;
  const detail = options.detail ?? "Too many requests";
  const sendHeaders = options.headers ?? true;
  const rule = limit === 0 ? null : gcraRule(limit, windowMs, options.burst ?? limit);
  const policy = policyItem(name, limit, windowMs);
  const prefix = `${name}:`;
  // Stores that can (memory) keep this limiter's keys in their own table: no prefixed key per request.
  const scoped = store.scoped?.(prefix) ?? null;
  const consumeThen = scoped?.consumeThen?.bind(scoped) ?? null;
  const refuseAll: GcraDecision = { allowed: false, tat: 0, remaining: 0, resetMs: windowMs, retryAfterMs: windowMs };
  let lastFailureLog = -Infinity;
  // Set by rateLimitMetrics; null (one comparison per request) while nobody counts.
  let observer: DecisionObserver | null = null;

  const settle = (ctx: LimitContext, decision: GcraDecision, status: boolean): RateLimitStatus | null => {
    if (!decision.allowed) {
      if (observer !== null) observer("limited");
      throw new HTTPException(429, detail, { [RETRY_AFTER]: retryAfter(decision.retryAfterMs), [RATELIMIT]: rateLimitItem(name, decision), [RATELIMIT_POLICY]: policy });
    }
    if (observer !== null) observer("allowed");
    if (sendHeaders) {
      // Named stores (not appendItem's keyed ones): the first limiter on a route, the usual case,
      // is the cheap one. Kept inline on purpose: the same logic in a helper cost ~1,200
      // instructions per request even with headers off.
      const headers = ctx.response.headers as { ratelimit?: unknown; "ratelimit-policy"?: unknown };
      const item = rateLimitItem(name, decision);
      if (headers.ratelimit === undefined) {
        headers.ratelimit = item;
        headers["ratelimit-policy"] = policy;
      } else {
        appendItem(headers, RATELIMIT, item);
        appendItem(headers, RATELIMIT_POLICY, policy);
      }
    }
    // The hook form has no use for the status: no object for it.
    return status ? { limit, remaining: decision.remaining, resetSeconds: Math.ceil(decision.resetMs / 1000) } : null;
  };

  const failed = (ctx: LimitContext, error: unknown, outcome: "store_error" | "key_error"): null => {
    if (observer !== null) observer(outcome);
    const now = Date.now();
    if (now - lastFailureLog >= FAILURE_LOG_EVERY_MS) {
      lastFailureLog = now;
      ctx.log.warn({ err: error, limiter: name, failure }, `rate limiter "${name}" cannot decide; failing ${failure}`);
    }
    if (failure === "open") return null;
    throw new HTTPException(503, "Rate limiting is unavailable", { [RETRY_AFTER]: "1" });
  };

  const decide = (ctx: LimitContext, key: string | null | undefined, status: boolean): RateLimitStatus | null | Promise<RateLimitStatus | null> => {
    if (key === null || key === undefined) return null;
    if (typeof key !== "string") return failed(ctx, new TypeError(`rate limiter "${name}": the key function returned a ${typeof key}, not a string`), "key_error");
    if (rule === null) return settle(ctx, refuseAll, status);
    const bucket = boundedKey(perRoute ? `${ctx.route ?? ""}|${key}` : key);
    if (consumeThen !== null) return consumeThen(bucket, rule, 1, ctx, status ? settleStatus : settleHook, storeFailed);
    let decision: GcraDecision | Promise<GcraDecision>;
    try {
      decision = scoped !== null ? scoped.consume(bucket, rule, 1) : store.consume(prefix + bucket, rule, 1);
    } catch (error) {
      return failed(ctx, error, "store_error");
    }
    if (decision instanceof Promise) return decision.then((d) => settle(ctx, d, status), (error: unknown) => failed(ctx, error, "store_error"));
    return settle(ctx, decision, status);
  };

  const check = (ctx: LimitContext, key: string | null | undefined) => decide(ctx, key, true);
  // For stores that settle in their own promise (consumeThen): fixed functions, no closure per request.
  const settleStatus = (ctx: LimitContext, decision: GcraDecision) => settle(ctx, decision, true);
  const settleHook = (ctx: LimitContext, decision: GcraDecision) => settle(ctx, decision, false);
  const storeFailed = (ctx: LimitContext, error: unknown) => failed(ctx, error, "store_error");

  const run = <C extends LimitContext>(ctx: C, key: (ctx: C) => ReturnType<RateLimitKey>, status: boolean): RateLimitStatus | null | Promise<RateLimitStatus | null> => {
    let value: ReturnType<RateLimitKey>;
    try {
      value = key(ctx);
    } catch (error) {
      return failed(ctx, error, "key_error");
    }
    if (value instanceof Promise) return value.then((k) => decide(ctx, k, status), (error: unknown) => failed(ctx, error, "key_error"));
    return decide(ctx, value, status);
  };

  const plugin = middlewarePlugin(`rateLimit(${name})`, {
    // A promise of null or a status is fine here: the hook runner only looks for a response.
    onRequest: (ctx) => run(ctx, keyOf, false) as unknown as undefined | Promise<undefined>,
  });

  const keyed = <const C extends DependsConfig>(config: C, key: (ctx: DependencyContext<C>) => ReturnType<RateLimitKey>): Dependency<RateLimitStatus | null> =>
    depends(config, (ctx: DependencyContext<C>) => run(ctx as DependencyContext<C> & LimitContext, key as (ctx: LimitContext) => ReturnType<RateLimitKey>, true)) as Dependency<RateLimitStatus | null>;

  return Object.assign(plugin, {
    policy: name,
    limit,
    windowMs,
    responses: limitResponses(`${limit} per ${windowMs / 1000} s`, failure === "closed" && store.kind !== "memory"),
    dependency: depends((ctx) => run(ctx as unknown as RequestContext, keyOf, true)) as Dependency<RateLimitStatus | null>,
    keyed,
    check,
    close: async () => {
      await store.close?.();
    },
    [OBSERVE]: (next: DecisionObserver | null) => {
      observer = next;
    },
  });
}
