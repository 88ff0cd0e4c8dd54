// Two workers booting at once on a fresh database both create the app's pg-boss queues; pg-boss's
// createQueue (a partition of its job table) can deadlock with the other process's, and the
// worker that lost failed to boot ("deadlock detected"), which stopped the whole cluster. The
// engine now retries a deadlocked creation. Engines here stand for the processes: each has its
// own pool, so the race is between real PostgreSQL sessions.
import { afterEach, expect, it } from "vitest";
import { pgBossEngine, type JobEngine } from "../../src/jobs/index.ts";
import { describePostgres, dropSchema, schemaName, TEST_POSTGRES_URL } from "../jobs/services.ts";

describePostgres("pg-boss queues created by workers booting together", () => {
  const opened: JobEngine[] = [];
  const schemas: string[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((e) => e.close()));
    for (const schema of schemas.splice(0)) await dropSchema(schema);
  });

  it("every engine prepares its queues, however the creations interleave", { timeout: 120_000 }, async () => {
    const names = ["mail.welcome", "mail.password-reset", "reports.daily", "cleanup.sessions"];
    for (let round = 0; round < 4; round++) {
      const schema = schemaName();
      schemas.push(schema);
      const engines = Array.from({ length: 4 }, () => pgBossEngine({ connectionString: TEST_POSTGRES_URL, schema, max: 2 }));
      opened.push(...engines);
      // One installs the schema first (as `velox run` does before the workers' queues); then
      // every engine creates the same queues at the same moment.
      await engines[0]!.prepare([]);
      const results = await Promise.allSettled(engines.map((e) => e.prepare(names)));
      expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    }
  });
});
