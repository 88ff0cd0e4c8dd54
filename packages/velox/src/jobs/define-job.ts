import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Logger } from "../logger.ts";
import { DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.ts";
import { JobError, type PayloadIssue } from "./errors.ts";

/** Any Standard Schema (Zod, Valibot, ArkType …) describing a job's payload. */
export type PayloadSchema = StandardSchemaV1<any, any>;

/** What a handler receives besides its validated payload. */
export interface JobContext {
  /** The job's id in its engine (stable across attempts). */
  readonly id: string;
  readonly name: string;
  /** 1 on the first run, 2 on the first retry … */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Aborted when the attempt times out or the worker's drain deadline passes: stop and throw. */
  readonly signal: AbortSignal;
  /** The app's logger (a child with the job's id when the logger has `child()`). */
  readonly log: Logger;
  /** The app's state when the queue is installed in an app (`jobs.install(app)`), else `{}`. */
  readonly state: Record<string, any>;
  /** Enqueues a follow-up job on the same queue. */
  enqueue<P extends PayloadSchema>(job: JobDefinition<P>, payload: StandardSchemaV1.InferInput<P>, options?: EnqueueOptions): Promise<EnqueueResult>;
}

/** Options of one `enqueue` call. */
export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now. */
  delay?: number;
  /**
   * At most one job per (job name, key) is kept: a second enqueue with the same key returns the
   * first job's id with `duplicate: true`, for as long as the engine keeps the first job (see docs/jobs.md).
   */
  idempotencyKey?: string;
  /**
   * Enqueue inside the caller's database transaction (the outbox pattern). PostgreSQL engines only:
   * a `pg` client (`PoolClient`) or a Kysely transaction. The job exists if and only if the
   * transaction commits.
   */
  transaction?: unknown;
}

/** What `enqueue` answers. */
export interface EnqueueResult {
  id: string;
  /** True when an earlier job with the same idempotency key was found and nothing was added. */
  duplicate: boolean;
}

/** What you give {@link defineJob}. */
export interface JobSpec<P extends PayloadSchema> {
  /** Unique, stable name: it is stored with every job (letters, digits, `._:-`, ≤ 100 chars). */
  name: string;
  /** Validated on enqueue (a bad payload is never stored) and again on run (the handler gets the output). */
  payload: P;
  handler: (payload: StandardSchemaV1.InferOutput<P>, ctx: JobContext) => unknown;
  /** Retries after the first failed attempt (default 3, so 4 attempts in all). */
  retries?: number;
  /** Delays between retries (merged over 1 s base, 1 h cap, full jitter). */
  backoff?: Partial<BackoffPolicy>;
  /** Longest a single attempt may run before its signal aborts and it counts as failed (default 30 s). */
  timeoutMs?: number;
  /** Attempts of this job type one worker process runs at once (default 1). */
  concurrency?: number;
}

/** A job type, made by {@link defineJob}. Pass it to `createJobs({ jobs: [...] })` and to `enqueue`. */
export interface JobDefinition<P extends PayloadSchema = PayloadSchema> {
  readonly name: string;
  readonly payload: P;
  readonly handler: (payload: StandardSchemaV1.InferOutput<P>, ctx: JobContext) => unknown;
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
  readonly timeoutMs: number;
  readonly concurrency: number;
}

const NAME = /^[A-Za-z0-9._:-]{1,100}$/;

function positiveInt(value: number | undefined, fallback: number, what: string, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new JobError("VX_JOB_INVALID_OPTION", `${what} must be an integer ≥ ${min}, got ${String(value)}`);
  return value;
}

/**
 * Declares a durable job type: its payload schema, its handler, and how it is retried, timed
 * out and spread over a worker.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { defineJob } from "velox/jobs";
 *
 * export const sendWelcome = defineJob({
 *   name: "mail.welcome",
 *   payload: z.object({ to: z.email(), username: z.string() }),
 *   retries: 5,
 *   backoff: { baseMs: 2_000 },
 *   timeoutMs: 10_000,
 *   concurrency: 4,
 *   handler: async ({ to, username }, { state, signal }) => {
 *     await state.mailer.send({ to, subject: `Welcome, ${username}` }, signal);
 *   },
 * });
 * ```
 */
export function defineJob<P extends PayloadSchema>(spec: JobSpec<P>): JobDefinition<P> {
  if (typeof spec !== "object" || spec === null) throw new JobError("VX_JOB_INVALID_OPTION", "defineJob() takes an object");
  if (typeof spec.name !== "string" || !NAME.test(spec.name)) {
    throw new JobError("VX_JOB_INVALID_OPTION", `job name must match ${NAME.source}, got ${JSON.stringify(spec.name)}`);
  }
  if (typeof spec.payload !== "object" && typeof spec.payload !== "function") throw new JobError("VX_JOB_INVALID_OPTION", `job "${spec.name}": payload must be a Standard Schema`);
  if (spec.payload === null || !("~standard" in spec.payload)) throw new JobError("VX_JOB_INVALID_OPTION", `job "${spec.name}": payload must be a Standard Schema`);
  if (typeof spec.handler !== "function") throw new JobError("VX_JOB_INVALID_OPTION", `job "${spec.name}": handler must be a function`);
  const backoff: BackoffPolicy = { ...DEFAULT_BACKOFF, ...spec.backoff };
  if (!(backoff.baseMs >= 0) || !(backoff.maxMs >= backoff.baseMs) || (backoff.jitter !== "full" && backoff.jitter !== "none")) {
    throw new JobError("VX_JOB_INVALID_OPTION", `job "${spec.name}": backoff needs 0 ≤ baseMs ≤ maxMs and jitter "full" or "none"`);
  }
  return Object.freeze({
    name: spec.name,
    payload: spec.payload,
    handler: spec.handler,
    maxAttempts: positiveInt(spec.retries, 3, `job "${spec.name}": retries`, 0) + 1,
    backoff: Object.freeze(backoff),
    timeoutMs: positiveInt(spec.timeoutMs, 30_000, `job "${spec.name}": timeoutMs`, 1),
    concurrency: positiveInt(spec.concurrency, 1, `job "${spec.name}": concurrency`, 1),
  });
}

/**
 * Validates a payload against a job's schema; throws `VX_JOB_INVALID_PAYLOAD` listing every issue.
 *
 * @example
 * ```ts
 * const value = await validatePayload(sendWelcome, { to: "a@example.com", username: "ada" });
 * ```
 */
export async function validatePayload<P extends PayloadSchema>(job: JobDefinition<P>, payload: unknown): Promise<StandardSchemaV1.InferOutput<P>> {
  let result = job.payload["~standard"].validate(payload);
  if (result instanceof Promise) result = await result;
  if (result.issues) {
    const issues: PayloadIssue[] = result.issues.map((issue) => ({
      path: (issue.path ?? []).map((p) => (typeof p === "object" ? (p.key as string | number) : (p as string | number))),
      message: issue.message,
    }));
    const first = issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join(".")}` : "";
    throw new JobError("VX_JOB_INVALID_PAYLOAD", `job "${job.name}": invalid payload${where}: ${first?.message ?? "rejected"}`, issues);
  }
  return result.value as StandardSchemaV1.InferOutput<P>;
}
