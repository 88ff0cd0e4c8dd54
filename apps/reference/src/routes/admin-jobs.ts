import { textField } from "../models/columns.ts";
import { HTTPException, Router, security } from "velox";
import type { Jobs } from "velox/jobs";
import { z } from "zod";
import { Message } from "../models/message.ts";
import { superuser } from "../web/security.ts";

const FailedJobOut = z
  .object({
    id: z.string(),
    name: z.string(),
    payload: z.unknown(),
    attempts: z.int(),
    error: z.object({ name: z.string(), message: z.string() }).nullable(),
    failed_at: z.string().nullable(),
    created_at: z.string().nullable(),
  })
  .meta({ id: "FailedJob" });

/**
 * The job dead-letter list for superusers holding `admin`: list the jobs (mail) whose last
 * attempt failed, and retry one after fixing the cause (an SMTP outage, a bad address).
 *
 * @example
 * ```ts
 * app.include(adminJobsRouter(jobs));
 * ```
 */
export function adminJobsRouter(jobs: Jobs): Router {
  const router = new Router({ prefix: "/admin/jobs", tags: ["admin"] });
  const admin = security(superuser, ["admin"]);

  router.get(
    "/failed",
    {
      deps: { admin },
      query: { name: textField(100).optional(), limit: z.int().min(1).max(500).default(100) },
      response: z.array(FailedJobOut),
      summary: "Dead-lettered jobs (admin)",
      description: "Jobs whose last attempt failed, newest first, with their last error. Payloads are mail addresses and ids, never tokens.",
    },
    async function listFailedJobs({ query }) {
      const failed = await jobs.listFailed({ limit: query.limit, ...(query.name === undefined ? {} : { name: query.name }) });
      return failed.map((job) => ({
        id: job.id,
        name: job.name,
        payload: job.payload,
        attempts: job.attempts,
        error: job.error === null ? null : { name: job.error.name, message: job.error.message },
        failed_at: job.failedAt?.toISOString() ?? null,
        created_at: job.createdAt?.toISOString() ?? null,
      }));
    },
  );

  router.post(
    "/failed/{job_id}/retry",
    {
      deps: { admin },
      path: { job_id: textField(64).min(1) },
      status: 202,
      response: Message,
      responses: { 404: { schema: Message, description: "No failed job has this id" } },
      summary: "Retry a dead-lettered job (admin)",
    },
    async function retryFailedJob({ path }) {
      if (!(await jobs.retryFailed(path.job_id))) throw new HTTPException(404, "No failed job with this id");
      return { detail: "Queued for one more attempt" };
    },
  );

  return router;
}
