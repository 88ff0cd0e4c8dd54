/** Stable codes of {@link JobError}. */
export type JobErrorCode =
  /** A payload failed the job's schema on enqueue (nothing was stored) or on run (the job is dead-lettered). */
  | "VX_JOB_INVALID_PAYLOAD"
  /** `enqueue` named a job the queue was not created with. */
  | "VX_JOB_UNKNOWN"
  /** Two job definitions share a name. */
  | "VX_JOB_DUPLICATE"
  /** A job definition or an enqueue option is malformed. */
  | "VX_JOB_INVALID_OPTION"
  /** The handler ran past its `timeoutMs`. */
  | "VX_JOB_TIMEOUT"
  /** The queue is closed (or not started) and cannot take this call. */
  | "VX_JOB_CLOSED"
  /** The worker lost the job's lease (another worker may own it now). */
  | "VX_JOB_LEASE_LOST";

/** One schema issue of a payload: where (`path`) and what. */
export interface PayloadIssue {
  path: (string | number)[];
  message: string;
}

/**
 * An error of `velox/jobs`. `code` is stable; `issues` lists schema problems for
 * `VX_JOB_INVALID_PAYLOAD`.
 *
 * @example
 * ```ts
 * try { await jobs.enqueue(sendMail, { to: 42 }); }
 * catch (e) { if (e instanceof JobError && e.code === "VX_JOB_INVALID_PAYLOAD") console.log(e.issues); }
 * ```
 */
export class JobError extends Error {
  readonly code: JobErrorCode;
  readonly issues: readonly PayloadIssue[];
  constructor(code: JobErrorCode, message: string, issues: readonly PayloadIssue[] = []) {
    super(`[${code}] ${message}`);
    this.name = "JobError";
    this.code = code;
    this.issues = issues;
  }
}

/**
 * Thrown by a handler to fail the job at once, without the remaining retries (a payload that can
 * never succeed, a refused address). The job goes straight to the dead-letter list.
 *
 * @example
 * ```ts
 * defineJob({ name: "charge", payload: Charge, handler: async (p) => {
 *   if (p.amount <= 0) throw new PermanentJobError("amount must be positive");
 * } });
 * ```
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PermanentJobError";
  }
}

/** The JSON form of an error stored with a failed attempt (no stack beyond 2 KiB). */
export interface StoredError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

/** Turns anything thrown into a {@link StoredError}. */
export function storedError(err: unknown): StoredError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      name: err.name,
      message: err.message.slice(0, 2_000),
      ...(typeof code === "string" ? { code } : {}),
      ...(err.stack ? { stack: err.stack.slice(0, 2_048) } : {}),
    };
  }
  return { name: "NonError", message: String(err).slice(0, 2_000) };
}
