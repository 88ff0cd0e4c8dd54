/**
 * OpenTelemetry HTTP server semantic conventions as Prometheus names: `http.server.request.duration`
 * (unit `s`) becomes `http_server_request_duration_seconds`, the attribute `http.route` becomes the
 * label `http_route`, and so on. Dashboards and alert rules written for OpenTelemetry's Prometheus
 * exporter read Velox's metrics unchanged.
 */

/** `http.server.request.duration`, a histogram in seconds. */
export const DURATION = "http_server_request_duration_seconds";
/** `http.server.active_requests`, requests being served now. */
export const ACTIVE = "http_server_active_requests";
/** `http.server.request.body.size`, a histogram in bytes. */
export const REQUEST_SIZE = "http_server_request_body_size_bytes";
/** `http.server.response.body.size`, a histogram in bytes. */
export const RESPONSE_SIZE = "http_server_response_body_size_bytes";
/** Observations dropped because the series they needed would pass the cardinality cap. */
export const REFUSED = "velox_metrics_series_refused_total";

/** Label names, in the order every HTTP series carries them. */
export const LABELS = ["http_request_method", "http_route", "http_response_status_code"] as const;

/** The bucket boundaries OpenTelemetry advises for `http.server.request.duration` (seconds). */
export const DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Body size boundaries in bytes: powers of four from 64 B to 16 MiB (OpenTelemetry advises none). */
export const SIZE_BUCKETS: readonly number[] = [64, 256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216];

/** The `http_route` value of every request no route matched (404, 405, redirects of slashes). */
export const UNMATCHED_ROUTE = "unmatched";

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY"]);

/**
 * The method as a label value: the known HTTP methods as they are, anything else `_OTHER` (the
 * semantic conventions' rule), so a client inventing methods cannot add series.
 *
 * @example
 * ```ts
 * methodLabel("GET");    // "GET"
 * methodLabel("BREW");   // "_OTHER"
 * ```
 */
export function methodLabel(method: string | undefined): string {
  return method !== undefined && KNOWN_METHODS.has(method) ? method : "_OTHER";
}

/**
 * The status as a label value: a three-digit code, else `_OTHER`.
 *
 * @example
 * ```ts
 * statusLabel(200); // "200"
 * ```
 */
export function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : "_OTHER";
}
