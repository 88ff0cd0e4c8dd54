// Durable jobs with velox/jobs: a welcome mail that survives restarts, is retried with backoff,
// and lands in a dead-letter list (with an admin route to retry it) when it keeps failing.
// Run: `JOBS_DB=/tmp/jobs.db node --conditions=velox-source packages/velox/bin/velox.js run examples/jobs/app.ts --workers 0 --jobs`
// (or serve without --jobs and run `… velox.js worker examples/jobs/app.ts` beside it).
import { z } from "zod";
import { HTTPException, Velox } from "velox";
import { createJobs, defineJob, PermanentJobError, sqliteEngine } from "velox/jobs";

/** Where "sent" mail goes in this example; a real app calls its mailer (see apps/reference). */
export const outbox: string[] = [];
/** Addresses the pretend mail server rejects for a while (to show retries and dead letters). */
export const flaky = new Set<string>();

export const sendWelcome = defineJob({
  name: "mail.welcome",
  payload: z.object({ to: z.email(), name: z.string().min(1) }),
  retries: 2,
  backoff: { baseMs: 50, maxMs: 500 },
  timeoutMs: 5_000,
  concurrency: 2,
  handler: async ({ to, name }, { attempt, signal }) => {
    if (to.endsWith("@invalid.example")) throw new PermanentJobError("no such domain"); // never retried
    if (flaky.has(to)) throw new Error(`mail server busy (attempt ${attempt})`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (signal.aborted) return;
    outbox.push(`${to}: Welcome, ${name}!`);
  },
});

export const app = new Velox({ title: "Jobs example" });
export const jobs = createJobs({ engine: sqliteEngine({ path: process.env.JOBS_DB ?? ":memory:" }), jobs: [sendWelcome] });
// The worker runs in this process under `velox run --jobs` (or always, with `worker: true`).
jobs.install(app, { workerOptions: { pollMs: 100 } });

app.post(
  "/signup",
  { body: z.object({ email: z.email(), name: z.string().min(1) }), deps: { enqueue: jobs.dependency }, status: 202 },
  async ({ body, enqueue }) => {
    // One welcome per address, however often the client retries this request.
    const { id, duplicate } = await enqueue(sendWelcome, { to: body.email, name: body.name }, { idempotencyKey: body.email });
    return { job: id, duplicate };
  },
);

app.get("/jobs/failed", {}, () => jobs.listFailed());

app.post("/jobs/failed/{id}/retry", { path: { id: z.string().max(64) }, status: 202 }, async ({ path }) => {
  if (!(await jobs.retryFailed(path.id))) throw new HTTPException(404, "No failed job with this id");
  return { retried: path.id };
});
