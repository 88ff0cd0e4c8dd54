/** Reason phrases for the statuses Velox produces itself; other codes fall back to node's table. */
import { STATUS_CODES } from "node:http";

/**
 * The standard reason phrase of an HTTP status code.
 *
 * @example
 * ```ts
 * statusText(404); // "Not Found"
 * ```
 */
export function statusText(status: number): string {
  return STATUS_CODES[status] ?? "Unknown";
}

/** Statuses whose responses never carry a body (RFC 9110). */
export function isBodylessStatus(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}
