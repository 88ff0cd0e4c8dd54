import { sql } from "kysely";
import { expect, it } from "vitest";
import { describeEachDatabase, TEST_POSTGRES_URL } from "../testing/databases.ts";
import { openDatabase } from "./connect.ts";
import { migrateToLatest } from "./migrate.ts";

describeEachDatabase("migrations", (t) => {
  it("are idempotent: a second run applies nothing", async () => {
    expect(await migrateToLatest(t.db)).toEqual([]);
  });

  it("create the tables and the indexes the queries need", async () => {
    const tables = (await t.db.introspection.getTables()).map((table) => table.name).sort();
    expect(tables).toEqual(expect.arrayContaining(["items", "refresh_tokens", "users"]));
    const indexes =
      t.dialect === "postgres"
        ? await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema()`.execute(t.db)
        : await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(t.db);
    expect(indexes.rows.map((row) => row.name)).toEqual(
      expect.arrayContaining(["items_owner_created_idx", "items_created_idx", "items_popularity_idx", "refresh_tokens_family_idx", "refresh_tokens_user_idx",
        "items_owner_price_idx", "items_owner_title_idx", "items_owner_views_idx", "items_owner_id_idx"]),
    );
  });

  it("turn on foreign keys (and WAL on SQLite)", async () => {
    if (t.dialect === "sqlite") {
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(t.db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
      const wal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(t.db);
      expect(wal.rows[0]?.journal_mode).toBe("wal");
    }
    await expect(
      t.db.insertInto("items").values({ owner_id: 123_456, title: "x", price: 1, created_at: new Date().toISOString() }).execute(),
    ).rejects.toThrow();
  });

  it("migrate a fresh PostgreSQL schema next to an already migrated one", async () => {
    if (t.dialect !== "postgres") return;
    const schema = `velox_fresh_${process.pid}_${Date.now()}`;
    await sql`create schema ${sql.id(schema)}`.execute(t.db);
    const fresh = openDatabase(TEST_POSTGRES_URL, { searchPath: schema, poolSize: 1 });
    try {
      expect(await migrateToLatest(fresh.db)).toEqual(["0001_initial", "0002_owner_sort_indexes", "0003_password_reset_tokens", "0004_username_case_insensitive"]);
      const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${schema}`.execute(t.db);
      expect(tables.rows.map((row) => row.name).sort()).toEqual(["items", "kysely_migration", "kysely_migration_lock", "password_reset_tokens", "refresh_tokens", "users"]);
    } finally {
      await fresh.close();
      await sql`drop schema ${sql.id(schema)} cascade`.execute(t.db);
    }
  });
});

describeEachDatabase("owner listings", (t) => {
  it("read a sorted page from an index, without sorting the owner's rows", async () => {
    if (t.dialect !== "sqlite") return;
    for (const column of ["price", "title", "views", "id", "created_at"]) {
      const plan = await sql<{ detail: string }>`explain query plan select id from items where owner_id = 1 order by ${sql.ref(column)} desc, id desc limit 20 offset 20`.execute(t.db);
      const details = plan.rows.map((row) => row.detail).join(" | ");
      expect(details, column).toMatch(/USING (COVERING )?INDEX items_owner_/);
      expect(details, column).not.toContain("TEMP B-TREE");
    }
  });
});
