/**
 * The metrics messages between the cluster primary and its workers (over node:cluster IPC). All
 * carry `velox: "metrics:…"` so the supervisor and the app's own IPC ignore them.
 *
 * A scrape: the primary sends `collect` to each worker; a worker answers with `part`s (metric
 * families, a large one split across parts) in short slices of its event loop, then `done`. A
 * worker that is shutting down sends an unrequested snapshot (id `FINAL`) so its last counts
 * survive it. A worker serving `/metrics` asks for the cluster's sum with `scrape` and gets
 * `aggregate` back.
 */
import type { CompactHistogram, MetricFamily } from "../http-collectors.ts";

/** The id of the snapshot a worker sends on its own as it shuts down. */
export const FINAL = -1;

export type ToWorker =
  | { velox: "metrics:collect"; id: number }
  | { velox: "metrics:aggregate"; id: number; text: string; partial: boolean };

export type ToPrimary =
  | { velox: "metrics:part"; id: number; families: MetricFamily[]; compact?: CompactHistogram[] }
  | { velox: "metrics:done"; id: number }
  | { velox: "metrics:scrape"; id: number; timeoutMs: number };

/** Whether `message` is one of these metrics messages. */
export function isMetricsMessage(message: unknown): message is ToWorker | ToPrimary {
  if (typeof message !== "object" || message === null) return false;
  const tag = (message as { velox?: unknown }).velox;
  return typeof tag === "string" && tag.startsWith("metrics:");
}
