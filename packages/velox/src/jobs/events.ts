import type { StoredError } from "./errors.ts";

/** Fields every job event carries. */
interface Base {
  /** The job type's name. */
  name: string;
  id: string;
  /** The engine's kind ("sqlite", "pg-boss"), a low-cardinality label. */
  engine: string;
}

/**
 * What happened to a job, for metrics, traces and audit logs. `velox/metrics` and
 * `velox/tracing` subscribe with `jobs.on(listener)`; nothing is built when no one listens.
 */
export type JobEvent =
  | (Base & { type: "enqueued"; duplicate: boolean; delayMs: number })
  /** An attempt starts; `waitMs` is from due time to start (the add→start latency). */
  | (Base & { type: "started"; attempt: number; waitMs: number })
  | (Base & { type: "completed"; attempt: number; durationMs: number })
  /** An attempt failed; `willRetry` false means the job is now in the dead-letter list. */
  | (Base & { type: "failed"; attempt: number; durationMs: number; error: StoredError; willRetry: boolean })
  /** The worker gave the job back unfinished (drain deadline); it runs again elsewhere. */
  | (Base & { type: "released"; attempt: number; durationMs: number })
  /** A dead job was put back in the queue (`jobs.retryFailed`, CLI, admin route). */
  | (Base & { type: "retried" });

/** A subscriber to {@link JobEvent}s. Exceptions it throws are logged and ignored. */
export type JobListener = (event: JobEvent) => void;

/** What runs around each attempt: tracing opens a span and runs `next` inside its context. */
export type JobInterceptor = (job: { name: string; id: string; attempt: number; engine: string }, next: () => Promise<void>) => Promise<void>;
