import type { BackoffPolicy } from "./backoff.ts";
import type { StoredError } from "./errors.ts";

/** A job as handed to an engine's `add`: already validated, JSON-serialisable. */
export interface NewJob {
  name: string;
  payload: unknown;
  /** Epoch ms before which the job must not start. */
  runAt: number;
  idempotencyKey: string | undefined;
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** The job type's attempt timeout (engines without lease renewal size their lease from it). */
  timeoutMs: number;
}

/** A job an engine has leased to this worker. */
export interface ClaimedJob {
  readonly id: string;
  readonly name: string;
  /** The payload as stored (validated again before the handler sees it). */
  readonly payload: unknown;
  /** 1-based number of this attempt. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Epoch ms the job became due (its `runAt`, or when it was added); for the wait-time metric. */
  readonly dueAt: number;
}

/** A job kept after its last attempt failed: the dead-letter list. */
export interface FailedJob {
  id: string;
  name: string;
  payload: unknown;
  attempts: number;
  error: StoredError | null;
  failedAt: Date | null;
  createdAt: Date | null;
}

/** Per job type, what a worker asks of `claim`. */
export interface ClaimOptions {
  /** How long the lease lasts unless renewed (the crash-recovery delay). */
  leaseMs: number;
}

/**
 * The storage and delivery half of `velox/jobs`: the SQLite queue and the pg-boss adapter
 * implement it. Workers pull (`claim`), then settle each job exactly once with `complete`,
 * `fail` or `release`. Every settle is fenced by the lease: a worker that lost its lease cannot
 * complete a job another worker now owns.
 */
export interface JobEngine {
  /** "sqlite", "pg-boss" …, for logs and metrics labels. */
  readonly kind: string;
  /** Whether `renew` extends a lease (heartbeats); engines without it use a fixed lease. */
  readonly renewsLeases: boolean;
  /** Creates tables/queues for these job names (idempotent). */
  prepare(names: readonly string[]): Promise<void>;
  add(job: NewJob, transaction?: unknown): Promise<{ id: string; duplicate: boolean }>;
  /** Leases up to `limit` due jobs of `name`. */
  claim(name: string, limit: number, options: ClaimOptions): Promise<ClaimedJob[]>;
  /** Extends the lease; false when it was lost. */
  renew?(job: ClaimedJob, options: ClaimOptions): Promise<boolean>;
  complete(job: ClaimedJob): Promise<void>;
  /** Records a failed attempt; `final` skips the remaining retries (dead-letters the job). */
  fail(job: ClaimedJob, error: StoredError, final: boolean): Promise<void>;
  /** Gives the job back without counting the attempt (graceful shutdown). */
  release(job: ClaimedJob): Promise<void>;
  listFailed(options?: { name?: string; limit?: number }): Promise<FailedJob[]>;
  /** Puts a dead job back in the queue for one more attempt; its name, or null when no failed job has that id. */
  retryFailed(id: string): Promise<string | null>;
  /** Calls `listener(name)` when a job may have become due in this process (fast wake-up). */
  onWake?(listener: (name: string) => void): () => void;
  close(): Promise<void>;
}
