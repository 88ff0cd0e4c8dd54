import { Migrator, type Kysely, type MigrationResult } from "kysely";
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
  const migrator = new Migrator({ db, provider: inCodeMigrations });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result: MigrationResult) => result.status === "Error");
    throw new Error(`migration ${failed?.migrationName ?? "(unknown)"} failed`, { cause: error });
  }
  return results.filter((result) => result.status === "Success").map((result) => result.migrationName);
}
