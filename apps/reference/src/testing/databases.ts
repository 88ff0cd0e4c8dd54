import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe } from "vitest";
import { openDatabase } from "../db/connect.ts";
import type { DialectName } from "../db/dialect.ts";
import { migrateToLatest } from "../db/migrate.ts";
import type { Database } from "../db/schema.ts";
import { postgresAnswers } from "../../../../packages/velox/test/services/postgres-probe.ts";

/** The PostgreSQL server tests use; each test file works in its own schema there. */
export const TEST_POSTGRES_URL = process.env.VELOX_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REQUIRED = process.env.VELOX_REQUIRE_SERVICES === "1";
const postgresReachable = await postgresAnswers(TEST_POSTGRES_URL);

if (!postgresReachable && !REQUIRED) {
  console.warn(
    `\n[velox-reference] PostgreSQL is unreachable at ${redact(TEST_POSTGRES_URL)}: PostgreSQL test suites are SKIPPED.\n` +
      "[velox-reference] Set VELOX_REQUIRE_SERVICES=1 (as CI does) to make that a failure.\n",
  );
}

/** A migrated, empty database handed to a suite; `db` is set before the first test runs. */
export interface TestDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
}

/**
 * Declares a suite once per database, SQLite (a temp file) and PostgreSQL (a fresh schema,
 * dropped afterwards), migrated once and emptied before each test. With PostgreSQL down, its
 * suite is skipped with a warning, or fails when VELOX_REQUIRE_SERVICES=1.
 *
 * @example
 * ```ts
 * describeEachDatabase("UsersRepository", (t) => {
 *   it("creates", async () => { await new UsersRepository(t.db).create(…); });
 * });
 * ```
 */
export function describeEachDatabase(title: string, body: (t: TestDatabase) => void): void {
  for (const dialect of ["sqlite", "postgres"] as const) {
    const skip = dialect === "postgres" && !postgresReachable && !REQUIRED;
    describe.skipIf(skip)(`${title} [${dialect}]`, () => {
      const state: { db?: Kysely<Database>; close?: () => Promise<void> } = {};
      const t: TestDatabase = {
        get db() {
          if (!state.db) throw new Error("test database is not open");
          return state.db;
        },
        dialect,
      };
      beforeAll(async () => {
        const opened = dialect === "sqlite" ? openSqliteForTest() : await openPostgresForTest();
        state.db = opened.db;
        state.close = opened.close;
        await migrateToLatest(opened.db);
      });
      afterAll(async () => {
        await state.close?.();
      });
      beforeEach(async () => {
        await t.db.deleteFrom("refresh_tokens").execute();
        await t.db.deleteFrom("items").execute();
        await t.db.deleteFrom("users").execute();
      });
      body(t);
    });
  }
}

function openSqliteForTest(): { db: Kysely<Database>; close: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), "velox-ref-"));
  const database = openDatabase(`sqlite:${join(dir, "test.db")}`);
  return {
    db: database.db,
    close: async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgresForTest(): Promise<{ db: Kysely<Database>; close: () => Promise<void> }> {
  if (!postgresReachable) {
    throw new Error(`PostgreSQL is required (VELOX_REQUIRE_SERVICES=1) but unreachable at ${redact(TEST_POSTGRES_URL)}`);
  }
  const schema = `velox_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  const database = openDatabase(TEST_POSTGRES_URL, { searchPath: schema, poolSize: 4 });
  return {
    db: database.db,
    close: async () => {
      await database.close();
      await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}


function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
