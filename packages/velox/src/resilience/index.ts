/**
 * `velox/resilience`: timeout (aborting the work through its `AbortSignal`), retry with backoff and
 * jitter, circuit breaker, bulkhead and fallback, on `cockatiel` (an optional peer, imported on the
 * first call), around any async function or as a route dependency. Open circuits and full
 * bulkheads answer 503 with `Retry-After`; timeouts 504.
 *
 * @module
 */
export { resilience, type BreakerOptions, type BreakerState, type BulkheadOptions, type Guard, type Resilience, type ResilienceOptions, type RetryOptions, type RunOptions } from "./policy.ts";
export { BulkheadFullError, CircuitOpenError, TimeoutError } from "./errors.ts";
