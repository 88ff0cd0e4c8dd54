import SqliteDatabase from "better-sqlite3";
import { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { QueuedSqliteDialect } from "./queued-sqlite-dialect.ts";

interface Schema {
  t: { id: number; n: number };
}

describe("QueuedSqliteDialect", () => {
  let db: Kysely<Schema>;
  afterEach(() => db?.destroy());
  async function open() {
    db = new Kysely<Schema>({ dialect: new QueuedSqliteDialect({ database: new SqliteDatabase(":memory:") }) });
    await db.schema.createTable("t").addColumn("id", "integer", (c) => c.primaryKey()).addColumn("n", "integer").execute();
    await db.insertInto("t").values({ id: 1, n: 0 }).execute();
  }

  it("serves waiting queries in the order they asked", async () => {
    await open();
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => db.selectFrom("t").select("n").execute().then(() => order.push(i))),
    );
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("keeps other queries out of a transaction until it ends", async () => {
    await open();
    const seen: string[] = [];
    const transaction = db.transaction().execute(async (trx) => {
      await trx.updateTable("t").set({ n: 1 }).where("id", "=", 1).execute();
      seen.push("updated");
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error("roll back");
    });
    const outside = db.selectFrom("t").select("n").executeTakeFirstOrThrow().then((row) => seen.push(`read ${row.n}`));
    await expect(transaction).rejects.toThrow("roll back");
    await outside;
    // The read waited for the rollback: it never saw the uncommitted 1.
    expect(seen).toEqual(["updated", "read 0"]);
  });

  it("runs transactions one after another, savepoints included", async () => {
    await open();
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        const trx = await db.startTransaction().execute();
        const { n } = await trx.selectFrom("t").select("n").where("id", "=", 1).executeTakeFirstOrThrow();
        const sub = await trx.savepoint("s").execute();
        await sub.updateTable("t").set({ n: n + 1 }).where("id", "=", 1).execute();
        await sub.releaseSavepoint("s").execute();
        await trx.commit().execute();
      }),
    );
    expect(await db.selectFrom("t").select("n").executeTakeFirst()).toEqual({ n: 5 });
  });
});
