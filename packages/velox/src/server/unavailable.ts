import type { ServerResponse } from "node:http";

const BODY = '{"detail":"Service Unavailable"}';

/**
 * Answers 503 with `Retry-After` and FastAPI's error body: the reply of every overload guard.
 *
 * @example
 * ```ts
 * if (inFlight >= limit) return sendUnavailable(res, 1);
 * ```
 */
export function sendUnavailable(res: ServerResponse, retryAfterSeconds: number): void {
  res.writeHead(503, {
    "content-type": "application/json",
    "content-length": BODY.length,
    "retry-after": String(retryAfterSeconds),
    "cache-control": "no-store",
  });
  res.end(BODY);
}
