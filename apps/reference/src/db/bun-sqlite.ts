import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from "kysely";

/** The little of `bun:sqlite` this adapter uses. */
interface BunStatement {
  readonly columnNames: string[];
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  iterate(...params: unknown[]): IterableIterator<unknown>;
  finalize(): void;
}
interface BunDatabase {
  prepare(sql: string): BunStatement;
  exec(sql: string): void;
  close(): void;
}

const DEFAULT_CAPACITY = 256;

/** True when this process runs on Bun, where better-sqlite3 (a V8 addon) cannot load. */
export const onBun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";

/**
 * Opens SQLite with Bun's built-in `bun:sqlite` and hands Kysely the better-sqlite3-shaped
 * database its SQLite driver expects (`prepare` → `reader`, `all`, `run`, `iterate`), with the same
 * prepared-statement cache as on node. Same pragmas, same file format: a database made on node
 * opens on Bun and back.
 *
 * @example
 * ```ts
 * const database = await openBunSqlite("data/app.db");
 * const db = new Kysely<Database>({ dialect: new QueuedSqliteDialect({ database }) });
 * ```
 */
export async function openBunSqlite(path: string, capacity: number = DEFAULT_CAPACITY): Promise<KyselySqliteDatabase> {
  const specifier = "bun:sqlite";
  const { Database } = (await import(specifier)) as { Database: new (path: string, options?: { create?: boolean; strict?: boolean }) => BunDatabase };
  const database = new Database(path, { create: true, strict: true });
  // busy_timeout first: bun:sqlite has no default wait, and switching to WAL needs a lock that
  // another worker process (its job worker claiming mail jobs, say) may hold for a moment.
  for (const pragma of ["busy_timeout = 5000", "journal_mode = WAL", "foreign_keys = ON", "synchronous = NORMAL"]) database.exec(`PRAGMA ${pragma}`);
  const cache = new Map<string, SqliteStatement>();
  const wrap = (statement: BunStatement): SqliteStatement => ({
    reader: statement.columnNames.length > 0,
    all: (parameters: readonly unknown[]) => statement.all(...parameters),
    run: (parameters: readonly unknown[]) => {
      const { changes, lastInsertRowid } = statement.run(...parameters);
      return { changes, lastInsertRowid };
    },
    iterate: (parameters: readonly unknown[]) => statement.iterate(...parameters),
  });
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      cache.delete(sql);
      const statement = cached ?? wrap(database.prepare(sql));
      cache.set(sql, statement);
      if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}
