import type { BulkheadPolicy, CircuitBreakerPolicy, IPolicy } from "cockatiel";
import { depends, type Dependency } from "../di/dependency.ts";
import { VeloxError } from "../errors.ts";
import { HTTPException } from "../http-exception.ts";
import { importOptionalPeer } from "../optional-peer.ts";
import type { ResponseSpec } from "../route-types.ts";
import { BulkheadFullError, CircuitOpenError, TimeoutError } from "./errors.ts";

/** Retries with exponential backoff and decorrelated jitter (cockatiel's `ExponentialBackoff`). */
export interface RetryOptions {
  /** Attempts after the first (default 2). */
  retries?: number;
  /** First delay before jitter (default 50 ms). */
  initialDelayMs?: number;
  /** Longest delay (default 2,000 ms). */
  maxDelayMs?: number;
  /** Which errors are worth another attempt (default: all but 4xx `HTTPException`s, open circuits, full bulkheads and the caller's own abort). */
  retryOn?: (error: unknown) => boolean;
}

/** Opens after `threshold` consecutive failures; tries one call again after `halfOpenAfterMs`. */
export interface BreakerOptions {
  /** Consecutive failures that open the circuit (default 5). */
  threshold?: number;
  /** How long it stays open before one trial call (default 10,000 ms). */
  halfOpenAfterMs?: number;
  /** Which errors count as failures (default: all but 4xx `HTTPException`s). */
  failOn?: (error: unknown) => boolean;
}

/** At most `limit` calls at once, `queue` more waiting; the rest are refused. */
export interface BulkheadOptions {
  limit: number;
  /** Calls that may wait for a slot (default 0). */
  queue?: number;
}

/** Options of {@link resilience}; every part is optional and off when absent. */
export interface ResilienceOptions {
  /** Names the policy in errors and logs (default `resilience`). */
  name?: string;
  /** Each attempt's deadline: its `AbortSignal` is aborted, and the call rejects with a {@link TimeoutError} (504). */
  timeoutMs?: number;
  retry?: RetryOptions | false;
  breaker?: BreakerOptions | false;
  bulkhead?: BulkheadOptions | false;
}

/** Options of one call. */
export interface RunOptions<F = never> {
  /** Aborts the call (and its attempts) from outside, e.g. the request's `ctx.signal`. */
  signal?: AbortSignal;
  /** Answers instead of failing: called with the final error (open circuit, full bulkhead, timeout, last attempt's error). */
  fallback?: (error: unknown) => F | Promise<F>;
}

/** The state of a policy's circuit: `closed` (calls flow), `open` (refused), `half-open` (one trial), `isolated` (held open by hand). */
export type BreakerState = "closed" | "open" | "half-open" | "isolated";

/** What a route's dependency injects: `run` bound to the request's signal. */
export interface Guard {
  run<T, F = never>(fn: (signal: AbortSignal) => T | Promise<T>, options?: RunOptions<F>): Promise<T | F>;
}

/**
 * A resilience policy: timeout, retry, circuit breaker and bulkhead around any async function.
 */
export interface Resilience extends Guard {
  readonly name: string;
  /** `fn` wrapped: same arguments (after the signal) and the same result type. */
  wrap<A extends unknown[], T>(fn: (signal: AbortSignal, ...args: A) => T | Promise<T>): (...args: A) => Promise<T>;
  /** The policy as a dependency: `run` bound to the request's `signal`, so a client going away aborts the work. */
  readonly dependency: Dependency<Guard>;
  /** The circuit's state (`closed` before the first call and without a breaker). */
  readonly state: BreakerState;
  /** Opens the circuit until {@link Resilience.reset} (maintenance, a known outage). */
  isolate(): Promise<void>;
  /** Closes an isolated circuit. */
  reset(): void;
  /** The 503/504 answers this policy can cause, for a route's `responses`. */
  readonly responses: Record<number, ResponseSpec>;
}

type Cockatiel = typeof import("cockatiel");

const clientError = (error: unknown) => error instanceof HTTPException && error.status >= 400 && error.status < 500;
const ours = (error: unknown) => error instanceof CircuitOpenError || error instanceof BulkheadFullError;

function checkOptions(options: ResilienceOptions): void {
  const positive = (value: unknown, what: string, min = 1) => {
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value < min)) {
      throw new VeloxError("VX_INVALID_OPTION", `resilience: ${what} must be a number ≥ ${min}, got ${String(value)}`);
    }
  };
  positive(options.timeoutMs, "timeoutMs");
  if (options.retry) {
    positive(options.retry.retries, "retry.retries", 0);
    positive(options.retry.initialDelayMs, "retry.initialDelayMs", 0);
    positive(options.retry.maxDelayMs, "retry.maxDelayMs", 0);
  }
  if (options.breaker) {
    positive(options.breaker.threshold, "breaker.threshold");
    positive(options.breaker.halfOpenAfterMs, "breaker.halfOpenAfterMs");
  }
  if (options.bulkhead) {
    positive(options.bulkhead.limit, "bulkhead.limit");
    positive(options.bulkhead.queue, "bulkhead.queue", 0);
  }
}

const STATE_NAMES: Record<number, BreakerState> = { 0: "closed", 1: "open", 2: "half-open", 3: "isolated" };

/**
 * Builds a resilience policy on `cockatiel` (an optional peer, imported on the first call):
 * per-attempt timeouts that abort the work through its `AbortSignal`, retries with exponential
 * backoff and jitter, a consecutive-failure circuit breaker, a bulkhead, and per-call fallbacks.
 * Failures it makes are `HTTPException`s: an open circuit or a full bulkhead answers 503 with
 * `Retry-After`, a timeout 504. The result type of the wrapped function flows through.
 *
 * @example
 * ```ts
 * import { resilience } from "velox/resilience";
 * const payments = resilience({ name: "payments", timeoutMs: 2_000, retry: { retries: 2 }, breaker: { threshold: 5 }, bulkhead: { limit: 20 } });
 * app.post("/pay", { deps: { guard: payments.dependency }, responses: payments.responses }, ({ guard, body }) =>
 *   guard.run((signal) => charge(body, { signal })));
 * ```
 */
export function resilience(options: ResilienceOptions = {}): Resilience {
  checkOptions(options);
  const name = options.name ?? "resilience";
  const halfOpenAfterMs = options.breaker ? (options.breaker.halfOpenAfterMs ?? 10_000) : 0;
  let built: Promise<{ policy: IPolicy; breaker: CircuitBreakerPolicy | null; bulkhead: BulkheadPolicy | null; lib: Cockatiel }> | null = null;
  let breakerRef: CircuitBreakerPolicy | null = null;
  let openedAt = 0;
  let isolation: { dispose(): void } | null = null;

  const build = async () => {
    const lib = await importOptionalPeer("cockatiel", "resilience (velox/resilience)", () => import("cockatiel"));
    const layers: IPolicy[] = [];
    let bulkhead: BulkheadPolicy | null = null;
    let breaker: CircuitBreakerPolicy | null = null;
    if (options.bulkhead) layers.push((bulkhead = lib.bulkhead(options.bulkhead.limit, options.bulkhead.queue ?? 0)));
    if (options.retry) {
      const { retries = 2, initialDelayMs = 50, maxDelayMs = 2_000, retryOn } = options.retry;
      const worth = (error: unknown) => !ours(error) && !(error instanceof lib.BrokenCircuitError) && !(error instanceof lib.BulkheadRejectedError) && (retryOn ? retryOn(error) : !clientError(error));
      layers.push(lib.retry(lib.handleWhen(worth), { maxAttempts: retries, backoff: new lib.ExponentialBackoff({ initialDelay: initialDelayMs, maxDelay: maxDelayMs }) }));
    }
    if (options.breaker) {
      const failOn = options.breaker.failOn ?? ((error: unknown) => !clientError(error));
      breaker = lib.circuitBreaker(lib.handleWhen(failOn), { halfOpenAfter: halfOpenAfterMs, breaker: new lib.ConsecutiveBreaker(options.breaker.threshold ?? 5) });
      breaker.onBreak(() => void (openedAt = Date.now()));
      breakerRef = breaker;
      layers.push(breaker);
    }
    if (options.timeoutMs !== undefined) layers.push(lib.timeout(options.timeoutMs, lib.TimeoutStrategy.Aggressive));
    const policy = layers.length === 0 ? lib.noop : layers.length === 1 ? layers[0]! : lib.wrap(...layers);
    return { policy, breaker, bulkhead, lib };
  };

  const translate = (lib: Cockatiel, error: unknown, signal: AbortSignal | undefined): unknown => {
    if (error instanceof lib.BrokenCircuitError) {
      const left = error instanceof lib.IsolatedCircuitError ? halfOpenAfterMs : halfOpenAfterMs - (Date.now() - openedAt);
      return new CircuitOpenError(name, Math.max(1, left), { cause: error });
    }
    if (error instanceof lib.BulkheadRejectedError) return new BulkheadFullError(name, { cause: error });
    if (error instanceof lib.TaskCancelledError && !signal?.aborted) return new TimeoutError(name, options.timeoutMs ?? 0, { cause: error });
    return error;
  };

  const run = async <T, F = never>(fn: (signal: AbortSignal) => T | Promise<T>, runOptions: RunOptions<F> = {}): Promise<T | F> => {
    const { policy, lib } = await (built ??= build());
    try {
      return (await policy.execute(({ signal }) => fn(signal), runOptions.signal)) as T;
    } catch (error) {
      const final = translate(lib, error, runOptions.signal);
      if (runOptions.fallback) return runOptions.fallback(final);
      throw final;
    }
  };

  return {
    name,
    run,
    wrap: <A extends unknown[], T>(fn: (signal: AbortSignal, ...args: A) => T | Promise<T>) => (...args: A) => run((signal) => fn(signal, ...args)),
    dependency: depends((ctx) => ({ run: <T, F = never>(fn: (signal: AbortSignal) => T | Promise<T>, o: RunOptions<F> = {}) => run(fn, { signal: ctx.signal, ...o }) })) as Dependency<Guard>,
    get state(): BreakerState {
      return breakerRef === null ? "closed" : (STATE_NAMES[breakerRef.state] ?? "closed");
    },
    async isolate() {
      const { breaker } = await (built ??= build());
      if (breaker === null) throw new VeloxError("VX_INVALID_OPTION", `resilience ${name}: isolate() needs a breaker`);
      isolation = breaker.isolate();
    },
    reset() {
      isolation?.dispose();
      isolation = null;
    },
    responses: {
      503: { description: "A dependency is failing (circuit open) or saturated (bulkhead full); see Retry-After", headers: { "Retry-After": { description: "Seconds to wait", schema: { type: "integer", minimum: 1 } } } },
      504: { description: "A dependency did not answer in time" },
    },
  };
}
