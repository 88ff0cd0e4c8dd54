import { expectTypeOf, test } from "vitest";
import { z } from "zod";
import { createJobs, defineJob, sqliteEngine, type EnqueueResult, type JobContext } from "./index.ts";

const welcome = defineJob({
  name: "mail.welcome",
  payload: z.object({ to: z.email(), sentAt: z.iso.datetime().transform((s) => new Date(s)) }),
  handler: (payload, ctx) => {
    expectTypeOf(payload).toEqualTypeOf<{ to: string; sentAt: Date }>();
    expectTypeOf(ctx).toEqualTypeOf<JobContext>();
  },
});

test("enqueue takes the schema's input type and answers an id", () => {
  const jobs = createJobs({ engine: sqliteEngine({ path: ":memory:" }), jobs: [welcome] });
  expectTypeOf(jobs.enqueue(welcome, { to: "a@example.com", sentAt: "2026-01-01T00:00:00Z" })).toEqualTypeOf<Promise<EnqueueResult>>();
  // @ts-expect-error sentAt is an ISO string on the way in, not a Date
  void jobs.enqueue(welcome, { to: "a@example.com", sentAt: new Date() });
  // @ts-expect-error missing field
  void jobs.enqueue(welcome, { to: "a@example.com" });
  // @ts-expect-error unknown option
  void jobs.enqueue(welcome, { to: "a@example.com", sentAt: "x" }, { priority: 1 });
});

test("handlers enqueue follow-ups with the same typing", () => {
  defineJob({
    name: "chain",
    payload: z.object({}),
    handler: async (_p, ctx) => {
      await ctx.enqueue(welcome, { to: "b@example.com", sentAt: "2026-01-01T00:00:00Z" }, { delay: 1000, idempotencyKey: "k" });
      // @ts-expect-error wrong payload
      await ctx.enqueue(welcome, { to: 1 });
    },
  });
});

test("the dependency injects a typed enqueue into routes", async () => {
  const { Velox } = await import("../index.ts");
  const jobs = createJobs({ engine: sqliteEngine({ path: ":memory:" }), jobs: [welcome] });
  const app = new Velox();
  app.post("/signup", { deps: { enqueue: jobs.dependency } }, async ({ enqueue }) => {
    await enqueue(welcome, { to: "a@example.com", sentAt: "2026-01-01T00:00:00Z" });
    // @ts-expect-error wrong payload
    await enqueue(welcome, { to: 3 });
    return { ok: true };
  });
});
