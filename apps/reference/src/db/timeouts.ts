import { HTTPException, type RequestContext } from "velox";
import type { DatabaseConnection, Dialect, Driver } from "kysely";

/** What ran out of time: a statement, a wait for a lock, or a wait for a pooled connection. */
export type DatabaseTimeoutKind = "statement" | "lock" | "connect";

/**
 * A database call that gave up after its time budget (`DATABASE_STATEMENT_TIMEOUT_MS`,
 * `DATABASE_CONNECT_TIMEOUT_MS`). The app answers it 503 with `Retry-After` (see app.ts), never a 500.
 *
 * @example
 * ```ts
 * try { await query(); } catch (error) { if (error instanceof DatabaseTimeoutError) console.log(error.kind); }
 * ```
 */
export class DatabaseTimeoutError extends Error {
  override readonly name = "DatabaseTimeoutError";
  constructor(
    readonly kind: DatabaseTimeoutKind,
    options: { cause: unknown },
  ) {
    super(`database ${kind === "connect" ? "connection" : kind} timed out`, options);
  }
}

/**
 * Which timeout a driver's error is, or null for any other error. PostgreSQL: `57014`
 * (statement_timeout cancelled it), `55P03` (lock_timeout), pg's client-side `query_timeout`, and
 * pg-pool's wait for a connection. SQLite: `SQLITE_BUSY*` after `busy_timeout`.
 *
 * @example
 * ```ts
 * databaseTimeoutOf({ code: "57014" }); // "statement"
 * ```
 */
export function databaseTimeoutOf(error: unknown): DatabaseTimeoutKind | null {
  if (typeof error !== "object" || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === "57014") return "statement";
  if (code === "55P03") return "lock";
  if (typeof code === "string" && code.startsWith("SQLITE_BUSY")) return "lock";
  if (message === "Query read timeout") return "statement";
  if (typeof message === "string" && message.startsWith("timeout exceeded when trying to connect")) return "connect";
  return null;
}

function mapped(error: unknown): unknown {
  const kind = databaseTimeoutOf(error);
  return kind === null ? error : new DatabaseTimeoutError(kind, { cause: error });
}

const wrapped = new WeakSet<DatabaseConnection>();

/**
 * The dialect with its drivers' timeout errors turned into {@link DatabaseTimeoutError}, for every
 * query of every repository (Kysely has no error hook of its own). Connections are patched in
 * place, once: drivers release them through private members a wrapper object would not have.
 *
 * @example
 * ```ts
 * const db = new Kysely<Database>({ dialect: withTimeoutErrors(new PostgresDialect({ pool })) });
 * ```
 */
export function withTimeoutErrors(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => timeoutMappingDriver(dialect.createDriver()),
  };
}

function timeoutMappingDriver(inner: Driver): Driver {
  const driver: Driver = Object.create(inner) as Driver;
  driver.acquireConnection = async () => {
    let connection: DatabaseConnection;
    try {
      connection = await inner.acquireConnection();
    } catch (error) {
      throw mapped(error);
    }
    if (!wrapped.has(connection)) {
      wrapped.add(connection);
      const execute = connection.executeQuery.bind(connection);
      // Kysely's SQLite connection throws synchronously (better-sqlite3 is synchronous): catch both ways.
      connection.executeQuery = ((query) => {
        try {
          return execute(query).catch((error: unknown) => Promise.reject(mapped(error)));
        } catch (error) {
          return Promise.reject(mapped(error));
        }
      }) as DatabaseConnection["executeQuery"];
    }
    return connection;
  };
  // Object.create keeps the inner driver's other methods; they must run with the inner driver as `this`.
  for (const name of ["init", "beginTransaction", "commitTransaction", "rollbackTransaction", "savepoint", "rollbackToSavepoint", "releaseSavepoint", "releaseConnection", "destroy"] as const) {
    const method = inner[name] as ((...args: unknown[]) => Promise<void>) | undefined;
    if (method !== undefined) (driver as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => method.apply(inner, args);
  }
  return driver;
}

/**
 * The app's answer to a {@link DatabaseTimeoutError}: 503 with `Retry-After: 1`, in the app's error
 * format (`{"detail": ...}`), logged as a warning with the timeout's kind — not a 500 with a stack.
 *
 * @example
 * ```ts
 * app.exceptionHandler(DatabaseTimeoutError, databaseTimeoutHandler);
 * ```
 */
export function databaseTimeoutHandler(error: DatabaseTimeoutError, ctx: RequestContext): never {
  ctx.log.warn({ kind: error.kind, cause: (error.cause as Error | undefined)?.message }, "database call timed out; answered 503");
  throw new HTTPException(503, "The database did not answer in time; retry shortly", { "retry-after": "1" });
}
