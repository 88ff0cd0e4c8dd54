/**
 * `velox/jobs`: durable background jobs. Define a job (payload schema, handler, retries with
 * exponential backoff and jitter, timeout, concurrency), enqueue it from handlers and
 * dependencies, run workers inside `velox run --jobs` or `velox worker`. Engines: the embedded
 * SQLite queue (single node) and pg-boss on PostgreSQL (enqueue inside your transaction).
 *
 * @module
 */
export { defineJob, validatePayload, type JobDefinition, type JobSpec, type JobContext, type EnqueueOptions, type EnqueueResult, type PayloadSchema } from "./define-job.ts";
export { createJobs, Jobs, type JobsOptions, type Enqueue } from "./jobs.ts";
export { JobWorker, type WorkerOptions } from "./worker.ts";
export { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.ts";
export { JobError, PermanentJobError, type JobErrorCode, type PayloadIssue, type StoredError } from "./errors.ts";
export type { JobEvent, JobListener, JobInterceptor } from "./events.ts";
export type { JobEngine, NewJob, ClaimedJob, ClaimOptions, FailedJob } from "./engine.ts";
export { sqliteEngine, type SqliteEngineOptions } from "./sqlite-engine.ts";
export { pgBossEngine, type PgBossEngineOptions } from "./pg-boss-engine.ts";
export { bullmqEngine, type BullMQEngineOptions } from "./bullmq-engine.ts";
export { jobsOf } from "./registry.ts";
export type { InstallOptions } from "./install.ts";
