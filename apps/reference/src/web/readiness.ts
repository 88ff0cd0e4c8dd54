import { sql } from "kysely";
import type { ReadinessCheck } from "velox/server";
import type { Services } from "../services.ts";

/**
 * The `/ready` check of `serve()`: a `select 1` on the app's database. Not ready before the
 * lifespan has opened it, nor while it does not answer.
 *
 * @example
 * ```ts
 * await serve(app, { readinessChecks: [databaseCheck(app)] });
 * ```
 */
export function databaseCheck(app: { readonly state: Record<string, unknown> }): ReadinessCheck {
  return {
    name: "database",
    timeoutMs: 1_000,
    check: async () => {
      const services = app.state.services as Services | undefined;
      if (services === undefined) return false;
      await sql`select 1`.execute(services.database.db);
      return true;
    },
  };
}

/**
 * The `/ready` check of the cache's Redis tier, not critical: with Redis gone the items are
 * served from memory and the database, so `/ready` says `degraded` rather than not ready.
 * Passes when no Redis is configured.
 *
 * @example
 * ```ts
 * await serve(app, { readinessChecks: [databaseCheck(app), cacheCheck(app)] });
 * ```
 */
export function cacheCheck(app: { readonly state: Record<string, unknown> }): ReadinessCheck {
  return {
    name: "cache-redis",
    critical: false,
    timeoutMs: 1_000,
    check: (signal) => {
      const services = app.state.services as Services | undefined;
      return services === undefined ? true : services.cache.readinessCheck().check(signal);
    },
  };
}
