/**
 * `velox/metrics`: Prometheus metrics for Velox apps with OpenTelemetry's semantic names, a
 * cardinality cap, prom-client's process collectors, custom metrics in the same registry, and one
 * `/metrics` summed over every worker of a cluster. Needs the optional peer dependency `prom-client`.
 *
 * @module
 */
export { metrics, type MetricsOptions, type MetricsPlugin } from "./metrics.ts";
export { HttpSeries, type HttpCell } from "./http-series.ts";
export { ACTIVE, DURATION, DURATION_BUCKETS, LABELS, REFUSED, REQUEST_SIZE, RESPONSE_SIZE, SIZE_BUCKETS, UNMATCHED_ROUTE, methodLabel, statusLabel } from "./semantic.ts";
export { ClusterAggregator, type ClusterScrape, type ClusterStats, type WorkerState } from "./cluster/aggregator.ts";
export { inVeloxWorker } from "./cluster/worker-side.ts";
