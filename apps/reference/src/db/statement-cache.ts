import type SqliteDatabase from "better-sqlite3";
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from "kysely";

/** Distinct SQL texts kept prepared; `IN (…)` lists of every length are the main source of variety. */
const DEFAULT_CAPACITY = 256;

/**
 * Hands Kysely a better-sqlite3 database whose `prepare` reuses statements by SQL text. Kysely
 * prepares every query afresh, and on a hot read preparing costs more than running it.
 * Least recently used statements are dropped beyond `capacity`. A statement still busy with an
 * iteration (a streamed query) is never handed out twice: a fresh one is prepared instead.
 *
 * @example
 * ```ts
 * const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(new SqliteDatabase(path)) }) });
 * ```
 */
export function withStatementCache(database: SqliteDatabase.Database, capacity: number = DEFAULT_CAPACITY): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      cache.delete(sql);
      const statement = cached !== undefined && !cached.busy ? cached : database.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
      return statement as SqliteStatement;
    },
  };
}
