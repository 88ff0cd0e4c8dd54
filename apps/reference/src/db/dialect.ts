import {
  OperationNodeTransformer,
  PostgresAdapter,
  sql,
  type ColumnDataType,
  type ColumnDefinitionBuilder,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryResult,
  type RawBuilder,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from "kysely";

/**
 * Every difference between SQLite and PostgreSQL that the app cares about lives in this file:
 * column types, identity columns, defaults, boolean binding and unique-violation errors.
 */
export type DialectName = "sqlite" | "postgres";

/**
 * Tells which database a Kysely instance talks to.
 *
 * @example
 * ```ts
 * if (dialectOf(db) === "postgres") { … }
 * ```
 */
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/** Column types and defaults per dialect, for migrations. */
export interface DialectColumns {
  timestamp: ColumnDataType;
  boolean: ColumnDataType;
  now: RawBuilder<unknown>;
  bool: (value: boolean) => RawBuilder<unknown>;
  /** An auto-incrementing integer primary key. */
  id: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
}

/**
 * The column vocabulary migrations use, so one migration serves both databases.
 *
 * @example
 * ```ts
 * const c = columnsFor(dialectOf(db));
 * db.schema.createTable("t").addColumn("id", "integer", c.id).addColumn("at", c.timestamp, (col) => col.defaultTo(c.now));
 * ```
 */
export function columnsFor(dialect: DialectName): DialectColumns {
  if (dialect === "postgres") {
    return {
      timestamp: "timestamptz",
      boolean: "boolean",
      now: sql`now()`,
      bool: (value) => (value ? sql`true` : sql`false`),
      id: (column) => column.primaryKey().generatedByDefaultAsIdentity(),
    };
  }
  return {
    timestamp: "text",
    boolean: "integer",
    now: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
    bool: (value) => (value ? sql`1` : sql`0`),
    id: (column) => column.primaryKey().autoIncrement(),
  };
}

/**
 * Names the column of a unique-constraint violation, from either driver's error, or returns
 * undefined for any other error. Constraints and unique indexes are named
 * `<table>_<column>_unique` in migrations (`<table>_<column>_lower_unique` for a unique index on
 * `lower(column)`).
 *
 * @example
 * ```ts
 * try { await insert(); } catch (error) { if (uniqueViolation(error) === "email") … }
 * ```
 */
export function uniqueViolation(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code === "23505" && typeof constraint === "string") return columnOfConstraint(constraint);
  if (code === "SQLITE_CONSTRAINT_UNIQUE" && typeof message === "string") {
    // "UNIQUE constraint failed: users.email", or "…: index 'users_username_lower_unique'" for an expression index
    const failed = /UNIQUE constraint failed: (?:index '([^']+)'|\w+\.(\w+))/.exec(message);
    return failed?.[1] !== undefined ? columnOfConstraint(failed[1]) : failed?.[2];
  }
  return undefined;
}

function columnOfConstraint(name: string): string {
  return /^[a-z]+_(.+?)(?:_lower)?_unique$/.exec(name)?.[1] ?? name;
}

/** Converts a count that PostgreSQL may return as a bigint string into a number. */
export function toCount(value: unknown): number {
  return typeof value === "bigint" ? Number(value) : Number(value ?? 0);
}

/** better-sqlite3 cannot bind booleans; this plugin binds them as 1/0. */
export class SqliteBooleanPlugin implements KyselyPlugin {
  readonly #transformer = new BooleanToInteger();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

class BooleanToInteger extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return typeof node.value === "boolean" ? { ...node, value: node.value ? 1 : 0 } : node;
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return { ...node, values: node.values.map((value) => (typeof value === "boolean" ? (value ? 1 : 0) : value)) };
  }
}
