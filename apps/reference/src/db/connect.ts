import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { SqliteBooleanPlugin, type DialectName } from "./dialect.ts";
import { QueuedSqliteDialect } from "./queued-sqlite-dialect.ts";
import type { Database } from "./schema.ts";
import { onBun, openBunSqlite } from "./bun-sqlite.ts";
import { withStatementCache } from "./statement-cache.ts";
import { withTimeoutErrors } from "./timeouts.ts";

const PG_INT8 = 20;

/** An open database: the typed Kysely instance, which dialect it speaks, and how to close it. */
export interface AppDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

/** Options for `openDatabase`. */
export interface OpenDatabaseOptions {
  /** PostgreSQL pool size; ignored for SQLite. */
  poolSize?: number;
  /** PostgreSQL `search_path`, e.g. a per-test schema. */
  searchPath?: string;
  /**
   * The longest a statement may run (PostgreSQL `statement_timeout`, lock waits included, with
   * pg's `query_timeout` a second later for a server that does not answer at all), or for SQLite
   * the longest a statement waits for another connection's lock (`busy_timeout`). 0: no limit
   * (PostgreSQL), no wait (SQLite). Default 5,000 ms. A timeout rejects with DatabaseTimeoutError.
   */
  statementTimeoutMs?: number;
  /** PostgreSQL: the longest a query waits for a pooled connection (`connectionTimeoutMillis`, default 5,000 ms). */
  connectTimeoutMs?: number;
}

/**
 * Opens `postgres://…`/`postgresql://…` with a `pg` Pool, anything else as a SQLite file
 * (`sqlite:<path>`, `file:<path>` or a bare path; `:memory:` works too), with WAL and foreign keys on.
 *
 * @example
 * ```ts
 * const { db, close } = openDatabase(settings.databaseUrl, { poolSize: settings.dbPoolSize });
 * await migrateToLatest(db);
 * // …
 * await close();
 * ```
 */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): AppDatabase {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options);
  return openSqlite(sqlitePath(url), options.statementTimeoutMs ?? 5_000);
}

/**
 * The file path of a SQLite URL.
 *
 * @example
 * ```ts
 * sqlitePath("sqlite:///var/data/app.db"); // "/var/data/app.db"
 * sqlitePath("sqlite:data/app.db");        // "<cwd>/data/app.db"
 * ```
 */
export function sqlitePath(url: string): string {
  const path = url.replace(/^(sqlite|file):(\/\/)?/, "");
  return path === ":memory:" ? path : resolve(path);
}

function openSqlite(path: string, busyTimeoutMs: number): AppDatabase {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  if (onBun) {
    // better-sqlite3 is a V8 addon Bun cannot load; bun:sqlite reads and writes the same files.
    const db = new Kysely<Database>({ dialect: withTimeoutErrors(new QueuedSqliteDialect({ database: () => openBunSqlite(path) })), plugins: [new SqliteBooleanPlugin()] });
    return { db, dialect: "sqlite", close: () => db.destroy() };
  }
  const database = new SqliteDatabase(path);
  database.pragma("journal_mode = WAL");
  database.pragma("foreign_keys = ON");
  // better-sqlite3 is synchronous: a statement cannot be cut short, and this wait for another
  // connection's write lock blocks the event loop; past it the statement fails with SQLITE_BUSY.
  database.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
  database.pragma("synchronous = NORMAL");
  const db = new Kysely<Database>({ dialect: withTimeoutErrors(new QueuedSqliteDialect({ database: withStatementCache(database) })), plugins: [new SqliteBooleanPlugin()] });
  return { db, dialect: "sqlite", close: () => db.destroy() };
}

function openPostgres(url: string, options: OpenDatabaseOptions): AppDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    ...timeouts(options.statementTimeoutMs ?? 5_000),
    ...(options.searchPath === undefined ? {} : { options: `-c search_path=${quoteIdent(options.searchPath)}` }),
    // Counts come back as int8; parse them as numbers (safe below 2^53) for this pool only.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === PG_INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Database>({ dialect: withTimeoutErrors(new PostgresDialect({ pool })) });
  return { db, dialect: "postgres", close: () => db.destroy() };
}

/** The server cancels a statement past `ms`; the client gives up a second later if even the cancel never comes back. */
function timeouts(ms: number): { statement_timeout?: number; query_timeout?: number } {
  return ms > 0 ? { statement_timeout: ms, query_timeout: ms + 1_000 } : {};
}

function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new TypeError(`invalid schema name: ${name}`);
  return name;
}
