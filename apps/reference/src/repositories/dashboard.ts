import type { Kysely } from "kysely";
import { toCount } from "../db/dialect.ts";
import type { Database } from "../db/schema.ts";

/** Site-wide figures for the dashboard. */
export interface DashboardCounts {
  users: number;
  activeUsers: number;
  items: number;
  totalViews: number;
}

/**
 * The dashboard's independent counts, started together with Promise.all: on PostgreSQL each runs
 * on its own pooled connection, so the answer takes as long as the slowest count, not their sum.
 *
 * @example
 * ```ts
 * const { users, items } = await dashboardCounts(db);
 * ```
 */
export async function dashboardCounts(db: Kysely<Database>): Promise<DashboardCounts> {
  const [users, activeUsers, items, views] = await Promise.all([
    db.selectFrom("users").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow(),
    db.selectFrom("users").select((eb) => eb.fn.countAll().as("n")).where("is_active", "=", true).executeTakeFirstOrThrow(),
    db.selectFrom("items").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow(),
    db.selectFrom("items").select((eb) => eb.fn.coalesce(eb.fn.sum("views"), eb.lit(0)).as("n")).executeTakeFirstOrThrow(),
  ]);
  return { users: toCount(users.n), activeUsers: toCount(activeUsers.n), items: toCount(items.n), totalViews: toCount(views.n) };
}
