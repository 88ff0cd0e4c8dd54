import { HTTPException } from "../http-exception.ts";

const seconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

/**
 * The circuit is open: calls fail at once for a while instead of piling onto a failing service.
 * An `HTTPException` 503 with `Retry-After` (the seconds until the breaker tries again), so a
 * handler that lets it through answers exactly that.
 *
 * @example
 * ```ts
 * try { await db.run(query); } catch (e) { if (e instanceof CircuitOpenError) console.log(e.retryAfterMs); }
 * ```
 */
export class CircuitOpenError extends HTTPException {
  readonly retryAfterMs: number;
  constructor(name: string, retryAfterMs: number, options?: { cause?: unknown }) {
    super(503, "Service temporarily unavailable", { "retry-after": seconds(retryAfterMs) });
    this.name = "CircuitOpenError";
    this.message = `${name}: circuit open`;
    this.retryAfterMs = retryAfterMs;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/**
 * Every slot of the bulkhead and its queue is taken: an `HTTPException` 503 with `Retry-After: 1`.
 *
 * @example
 * ```ts
 * if (error instanceof BulkheadFullError) metrics.rejected.inc();
 * ```
 */
export class BulkheadFullError extends HTTPException {
  constructor(name: string, options?: { cause?: unknown }) {
    super(503, "Service temporarily unavailable", { "retry-after": "1" });
    this.name = "BulkheadFullError";
    this.message = `${name}: bulkhead full`;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/**
 * An attempt ran past its `timeoutMs`; its `AbortSignal` was aborted. An `HTTPException` 504.
 *
 * @example
 * ```ts
 * await api.run((signal) => fetch(url, { signal })).catch((e) => { if (e instanceof TimeoutError) return cached; throw e; });
 * ```
 */
export class TimeoutError extends HTTPException {
  readonly timeoutMs: number;
  constructor(name: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(504, "Upstream timed out");
    this.name = "TimeoutError";
    this.message = `${name}: timed out after ${timeoutMs} ms`;
    this.timeoutMs = timeoutMs;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
