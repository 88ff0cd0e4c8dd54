import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, describe, expect, it, vi } from "vitest";
import { withStatementCache } from "./statement-cache.ts";

describe("withStatementCache", () => {
  const opened: SqliteDatabase.Database[] = [];
  afterEach(() => {
    for (const database of opened.splice(0)) if (database.open) database.close();
  });
  function open(capacity?: number) {
    const database = new SqliteDatabase(":memory:");
    opened.push(database);
    database.exec("create table t (id integer primary key, n integer)");
    const prepare = vi.spyOn(database, "prepare");
    const db = new Kysely<{ t: { id: number; n: number } }>({ dialect: new SqliteDialect({ database: withStatementCache(database, capacity) }) });
    return { database, prepare, db };
  }

  it("prepares each SQL text once and reuses it with new parameters", async () => {
    const { prepare, db } = open();
    for (let i = 1; i <= 5; i++) await db.insertInto("t").values({ id: i, n: i * 10 }).execute();
    for (let i = 1; i <= 5; i++) expect(await db.selectFrom("t").select("n").where("id", "=", i).executeTakeFirst()).toEqual({ n: i * 10 });
    expect(prepare).toHaveBeenCalledTimes(2);
  });

  it("forgets the least recently used statement beyond its capacity", async () => {
    const { prepare, db } = open(2);
    const run = (column: "id" | "n") => db.selectFrom("t").select(column).execute();
    await run("id");
    await run("n");
    await run("id");
    await sql`select 1`.execute(db);
    await run("id");
    expect(prepare).toHaveBeenCalledTimes(3);
    await run("n");
    expect(prepare).toHaveBeenCalledTimes(4);
  });

  it("never hands out a statement that is still iterating", () => {
    const database = new SqliteDatabase(":memory:");
    opened.push(database);
    const cached = withStatementCache(database);
    const text = "select value from json_each('[1,2,3]')";
    const streaming = cached.prepare(text);
    const rows = streaming.iterate([]);
    rows.next();
    const other = cached.prepare(text);
    expect(other).not.toBe(streaming);
    expect(other.all([])).toHaveLength(3);
    rows.return?.();
    expect(cached.prepare(text)).toBe(other);
  });

  it("closes the database", async () => {
    const { database, db } = open();
    await db.selectFrom("t").selectAll().execute();
    await db.destroy();
    expect(database.open).toBe(false);
  });
});
