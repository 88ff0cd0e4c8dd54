// The database calls behind timeouts: a slow statement, a held lock and a full pool each end in a
// DatabaseTimeoutError within the configured budget (never a hang), and the app answers it 503 in
// its error format. PostgreSQL is the real server on 127.0.0.1:5432 (database `test`, a schema of
// this file's own); SQLite a temp file with a second connection holding the write lock.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "velox/testing";
import { createApp } from "../app.ts";
import { createServices } from "../services.ts";
import { testJobsEngine, testSettings } from "../testing/app-harness.ts";
import { TEST_POSTGRES_URL } from "../testing/databases.ts";
import { postgresAnswers } from "../../../../packages/velox/test/services/postgres-probe.ts";
import { openDatabase, type AppDatabase } from "./connect.ts";
import { migrateToLatest } from "./migrate.ts";
import { DatabaseTimeoutError, databaseTimeoutOf } from "./timeouts.ts";

const TIMEOUT_MS = 300;
const skipPostgres = !(await postgresAnswers(TEST_POSTGRES_URL)) && process.env.VELOX_REQUIRE_SERVICES !== "1";

async function timed<T>(work: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await work();
    return { error: null, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

/** An app over `database`, its login limits loose; the user "alice" exists. */
async function appOver(database: AppDatabase) {
  const jobs = testJobsEngine("sqlite");
  const app = createApp({ settings: testSettings(), logger: false, jobsEngine: jobs.engine, openServices: (s) => createServices(s, { database: { ...database, close: () => Promise.resolve() } }) });
  const client = new TestClient(app);
  await client.start();
  const services = app.state.services as Awaited<ReturnType<typeof createServices>>;
  await services.users.create({ username: "alice", email: "alice@example.com", hashedPassword: await services.passwords.hash("pw-alice-123"), isSuperuser: false, isActive: true, scopes: ["read"] });
  return {
    client,
    close: async () => {
      await client.close();
      await jobs.cleanup();
    },
  };
}

const login = (client: TestClient) => client.post("/auth/token", { form: { username: "alice", password: "pw-alice-123" } });

function expect503(res: { status: number; headers: Record<string, unknown>; text: string }): void {
  expect(res.status).toBe(503);
  expect(res.headers["retry-after"]).toBe("1");
  expect(JSON.parse(res.text)).toEqual({ detail: "The database did not answer in time; retry shortly" });
  expect(res.text).not.toMatch(/at |stack|canceling|SQLITE/);
}

it("names the drivers' timeout errors and nothing else", () => {
  expect(databaseTimeoutOf({ code: "57014" })).toBe("statement");
  expect(databaseTimeoutOf({ code: "55P03" })).toBe("lock");
  expect(databaseTimeoutOf({ code: "SQLITE_BUSY" })).toBe("lock");
  expect(databaseTimeoutOf(new Error("Query read timeout"))).toBe("statement");
  expect(databaseTimeoutOf(new Error("timeout exceeded when trying to connect"))).toBe("connect");
  expect(databaseTimeoutOf({ code: "23505" })).toBeNull();
  expect(databaseTimeoutOf(new Error("timeout"))).toBeNull();
  expect(databaseTimeoutOf(null)).toBeNull();
  expect(databaseTimeoutOf("57014")).toBeNull();
});

describe.skipIf(skipPostgres)("PostgreSQL calls behind timeouts", () => {
  const schema = `velox_timeouts_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = () => new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  let database: AppDatabase;

  beforeAll(async () => {
    const client = admin();
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    database = openDatabase(TEST_POSTGRES_URL, { searchPath: schema, poolSize: 2, statementTimeoutMs: TIMEOUT_MS, connectTimeoutMs: TIMEOUT_MS });
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.close();
    const client = admin();
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it("a statement past the timeout (pg_sleep) is cancelled by the server, and the connection stays usable", async () => {
    const { error, ms } = await timed(() => sql`select pg_sleep(5)`.execute(database.db));
    expect(error).toBeInstanceOf(DatabaseTimeoutError);
    expect((error as DatabaseTimeoutError).kind).toBe("statement");
    expect((error as DatabaseTimeoutError).cause).toMatchObject({ code: "57014" });
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(3_000);
    for (let i = 0; i < 3; i++) expect((await sql<{ one: number }>`select 1 as one`.execute(database.db)).rows).toEqual([{ one: 1 }]);
  });

  it("a write blocked by a lock another connection holds times out, then succeeds once the lock is gone", async () => {
    const holder = admin();
    await holder.connect();
    try {
      await holder.query(`BEGIN; LOCK TABLE ${schema}.items IN ACCESS EXCLUSIVE MODE`);
      const { error, ms } = await timed(() => database.db.deleteFrom("items").where("id", "=", -1).execute());
      expect(error).toBeInstanceOf(DatabaseTimeoutError);
      expect(ms).toBeLessThan(3_000);
      await holder.query("ROLLBACK");
      await database.db.deleteFrom("items").where("id", "=", -1).execute();
    } finally {
      await holder.end();
    }
  });

  it("a query waiting for a pooled connection past the connect timeout gives up (kind connect)", async () => {
    const small = openDatabase(TEST_POSTGRES_URL, { searchPath: schema, poolSize: 1, statementTimeoutMs: 10_000, connectTimeoutMs: TIMEOUT_MS });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const holding = small.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      await gate;
    });
    try {
      await new Promise((r) => setTimeout(r, 50));
      const { error, ms } = await timed(() => sql`select 1`.execute(small.db));
      expect(error).toBeInstanceOf(DatabaseTimeoutError);
      expect((error as DatabaseTimeoutError).kind).toBe("connect");
      expect(ms).toBeLessThan(3_000);
    } finally {
      release();
      await holding;
      await small.close();
    }
  });

  it("the app answers a request whose query times out 503 with Retry-After, in its error format, and recovers", async () => {
    const app = await appOver(database);
    const holder = admin();
    await holder.connect();
    try {
      expect((await login(app.client)).status).toBe(200);
      await holder.query(`BEGIN; LOCK TABLE ${schema}.users IN ACCESS EXCLUSIVE MODE`);
      const started = performance.now();
      expect503(await login(app.client));
      expect(performance.now() - started).toBeLessThan(3_000);
      await holder.query("ROLLBACK");
      expect((await login(app.client)).status).toBe(200);
    } finally {
      await holder.end();
      await app.close();
    }
  });
});

describe("SQLite calls behind busy_timeout", () => {
  let dir: string;
  let database: AppDatabase;
  let path: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "velox-timeouts-"));
    path = join(dir, "app.db");
    database = openDatabase(`sqlite:${path}`, { statementTimeoutMs: TIMEOUT_MS });
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a write waits busy_timeout for another connection's write lock, then fails as a lock timeout", async () => {
    const other = new SqliteDatabase(path);
    try {
      other.exec("BEGIN IMMEDIATE");
      const { error, ms } = await timed(() => database.db.deleteFrom("items").where("id", "=", -1).execute());
      expect(error).toBeInstanceOf(DatabaseTimeoutError);
      expect((error as DatabaseTimeoutError).kind).toBe("lock");
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(3_000);
      other.exec("ROLLBACK");
      await database.db.deleteFrom("items").where("id", "=", -1).execute();
    } finally {
      other.close();
    }
  });

  it("the app answers 503 while the write lock is held elsewhere, and 200 after", async () => {
    const app = await appOver(database);
    const other = new SqliteDatabase(path);
    try {
      other.exec("BEGIN IMMEDIATE");
      expect503(await login(app.client)); // the login reads, then writes its refresh token
      other.exec("ROLLBACK");
      expect((await login(app.client)).status).toBe(200);
    } finally {
      other.close();
      await app.close();
    }
  });
});
