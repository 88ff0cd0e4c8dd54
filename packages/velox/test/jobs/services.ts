import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe } from "vitest";

/** The PostgreSQL the tests use; each test works in its own schema there, dropped afterwards. */
export const TEST_POSTGRES_URL = process.env.VELOX_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REQUIRED = process.env.VELOX_REQUIRE_SERVICES === "1";

async function probe(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const postgresReachable = await probe(TEST_POSTGRES_URL);
if (!postgresReachable && !REQUIRED) {
  console.warn(`\n[velox/jobs] PostgreSQL is unreachable at ${TEST_POSTGRES_URL}: its job tests are SKIPPED. Set VELOX_REQUIRE_SERVICES=1 (as CI does) to make that a failure.\n`);
}

/** `describe`, skipped with a warning when PostgreSQL is down — or failing when VELOX_REQUIRE_SERVICES=1. */
export function describePostgres(title: string, body: () => void): void {
  describe.skipIf(!postgresReachable && !REQUIRED)(title, () => {
    if (!postgresReachable) throw new Error(`PostgreSQL is required (VELOX_REQUIRE_SERVICES=1) but unreachable at ${TEST_POSTGRES_URL}`);
    body();
  });
}

/** A fresh schema name for one test. */
export function schemaName(prefix = "velox_jobs"): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
}

/** Runs one statement on a short-lived connection. */
export async function adminQuery(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
