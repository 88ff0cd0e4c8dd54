/**
 * `velox/diagnostics`: protected endpoints for CPU profiles, heap statistics and snapshots,
 * event-loop delay and active handles — per worker under a cluster — and a slow-request log.
 * Node built-ins only (node:inspector, node:v8, node:perf_hooks); no dependency.
 *
 * @module
 */
export { diagnostics, type DiagnosticsOptions } from "./diagnostics.ts";
export { slowRequests, type SlowRequestOptions, type SlowRequestRecord } from "./slow-requests.ts";
export { activeHandles, cpuProfile, eventLoopDelay, heapStatistics, takeHeapSnapshot, MAX_PROFILE_SECONDS } from "./probes.ts";
export { diagnoseWorker, workerPids, DiagnosticError } from "./worker-ipc.ts";
export type { DiagnosticOp, DiagnosticArgs } from "./protocol.ts";
