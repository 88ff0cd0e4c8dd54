import { SqliteDialect, type DatabaseConnection, type Driver, type TransactionSettings } from "kysely";

/**
 * Kysely's SQLite dialect with a first-come, first-served connection queue. SQLite has one
 * connection, so Kysely's driver makes every query wait for it; its lock wakes every waiter on each
 * release and lets them race for it again, so with 50 requests in flight each query costs 50
 * wake-ups and the unlucky ones wait far longer than the rest. Here a release hands the connection
 * to the longest waiter only. Queries still never interleave with a transaction.
 *
 * @example
 * ```ts
 * const db = new Kysely<Database>({ dialect: new QueuedSqliteDialect({ database: new SqliteDatabase(path) }) });
 * ```
 */
export class QueuedSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    return new QueuedDriver(super.createDriver());
  }
}

class QueuedDriver implements Driver {
  readonly #waiting: (() => void)[] = [];
  #held = false;

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#held) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#held = true;
    // Only one holder at a time gets here, so the inner driver's own lock is always free.
    return this.inner.acquireConnection();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await this.inner.releaseConnection(connection);
    const next = this.#waiting.shift();
    if (next === undefined) this.#held = false;
    else next();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  savepoint(...args: Parameters<NonNullable<Driver["savepoint"]>>): Promise<void> {
    return this.inner.savepoint!(...args);
  }

  rollbackToSavepoint(...args: Parameters<NonNullable<Driver["rollbackToSavepoint"]>>): Promise<void> {
    return this.inner.rollbackToSavepoint!(...args);
  }

  releaseSavepoint(...args: Parameters<NonNullable<Driver["releaseSavepoint"]>>): Promise<void> {
    return this.inner.releaseSavepoint!(...args);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
