import { bullmqEngine, pgBossEngine, sqliteEngine, type JobEngine } from "velox/jobs";
import { sqlitePath } from "../db/connect.ts";
import type { AppSettings } from "../settings.ts";

/**
 * The job engine the settings ask for: the SQLite queue in the app's own SQLite file (one host),
 * pg-boss in the app's PostgreSQL database (schema `velox_jobs`; mail jobs are enqueued in the
 * same transaction as the data change), or BullMQ on `REDIS_URL`.
 *
 * @example
 * ```ts
 * const jobs = createJobs({ engine: jobsEngineFor(settings), jobs: APP_JOBS });
 * ```
 */
export function jobsEngineFor(settings: AppSettings): JobEngine {
  switch (settings.jobs.backend) {
    case "postgres":
      return pgBossEngine({ connectionString: settings.databaseUrl, schema: "velox_jobs", max: 4 });
    case "redis":
      return bullmqEngine({ url: settings.redisUrl!, prefix: "velox-reference" });
    case "sqlite":
      return sqliteEngine({ path: sqlitePath(settings.databaseUrl) });
  }
}
