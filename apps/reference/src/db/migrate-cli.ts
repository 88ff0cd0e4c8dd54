import { loadSettings } from "../settings.ts";
import { openDatabase } from "./connect.ts";
import { migrateToLatest } from "./migrate.ts";

// `npm run migrate -w apps/reference`: applies pending migrations and exits.
const settings = loadSettings({ warn: () => undefined });
const database = openDatabase(settings.databaseUrl, { poolSize: 1 });
try {
  const applied = await migrateToLatest(database.db);
  const target = database.dialect === "postgres" ? "PostgreSQL" : settings.databaseUrl;
  console.log(applied.length > 0 ? `applied ${applied.join(", ")} on ${target}` : `${target} is up to date`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await database.close();
}
