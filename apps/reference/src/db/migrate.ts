import { Migrator, sql, type Kysely, type MigrationResult } from "kysely";
import { dialectOf } from "./dialect.ts";
import { inCodeMigrations } from "./migrations.ts";

/**
 * Brings the schema to the latest migration. Throws, naming the failed migration, if one fails;
 * returns the names it applied (empty when already current).
 *
 * @example
 * ```ts
 * const applied = await migrateToLatest(db);
 * ```
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: inCodeMigrations, migrationTableSchema: await migrationSchema(db) });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result: MigrationResult) => result.status === "Error");
    throw new Error(`migration ${failed?.migrationName ?? "(unknown)"} failed`, { cause: error });
  }
  return results.filter((result) => result.status === "Success").map((result) => result.migrationName);
}

/**
 * On PostgreSQL, the schema the bookkeeping tables belong in: the connection's current schema.
 * Kysely otherwise looks for its tables in every schema, so a fresh schema next to one that was
 * already migrated (another app or test sharing the database) is taken as migrated and fails.
 */
async function migrationSchema(db: Kysely<any>): Promise<string | undefined> {
  if (dialectOf(db) !== "postgres") return undefined;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}
