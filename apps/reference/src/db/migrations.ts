import { sql, type Kysely, type Migration, type MigrationProvider } from "kysely";
import { columnsFor, dialectOf } from "./dialect.ts";

/** 0001: users, items, refresh_tokens and the indexes their queries need. */
const initial: Migration = {
  async up(db: Kysely<any>) {
    const c = columnsFor(dialectOf(db));
    await db.schema
      .createTable("users")
      .addColumn("id", "integer", c.id)
      .addColumn("username", "varchar(64)", (col) => col.notNull())
      .addColumn("email", "varchar(320)", (col) => col.notNull())
      .addColumn("hashed_password", "text", (col) => col.notNull())
      .addColumn("full_name", "varchar(200)")
      .addColumn("is_active", c.boolean, (col) => col.notNull().defaultTo(c.bool(true)))
      .addColumn("is_superuser", c.boolean, (col) => col.notNull().defaultTo(c.bool(false)))
      .addColumn("scopes", "text", (col) => col.notNull().defaultTo(""))
      .addColumn("created_at", c.timestamp, (col) => col.notNull().defaultTo(c.now))
      .addUniqueConstraint("users_username_unique", ["username"])
      .addUniqueConstraint("users_email_unique", ["email"])
      .execute();

    await db.schema
      .createTable("items")
      .addColumn("id", "integer", c.id)
      .addColumn("owner_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
      .addColumn("title", "varchar(200)", (col) => col.notNull())
      .addColumn("description", "text")
      .addColumn("price", "double precision", (col) => col.notNull())
      .addColumn("views", "integer", (col) => col.notNull().defaultTo(0))
      .addColumn("created_at", c.timestamp, (col) => col.notNull().defaultTo(c.now))
      .execute();
    // Owner listings sort by created_at; the composite index serves both the filter and the order.
    await db.schema.createIndex("items_owner_created_idx").on("items").columns(["owner_id", "created_at"]).execute();
    await db.schema.createIndex("items_created_idx").on("items").column("created_at").execute();
    await db.schema.createIndex("items_popularity_idx").on("items").columns(["views desc", "id"]).execute();

    await db.schema
      .createTable("refresh_tokens")
      .addColumn("jti", "varchar(64)", (col) => col.primaryKey())
      .addColumn("family_id", "varchar(64)", (col) => col.notNull())
      .addColumn("user_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
      .addColumn("expires_at", c.timestamp, (col) => col.notNull())
      .addColumn("created_at", c.timestamp, (col) => col.notNull().defaultTo(c.now))
      .addColumn("used_at", c.timestamp)
      .addColumn("revoked_at", c.timestamp)
      .execute();
    await db.schema.createIndex("refresh_tokens_family_idx").on("refresh_tokens").column("family_id").execute();
    await db.schema.createIndex("refresh_tokens_user_idx").on("refresh_tokens").column("user_id").execute();
  },

  async down(db: Kysely<any>) {
    await db.schema.dropTable("refresh_tokens").execute();
    await db.schema.dropTable("items").execute();
    await db.schema.dropTable("users").execute();
  },
};

/**
 * 0002: an index per sortable column within an owner's items, so `GET /items?sort=…` reads one
 * page from an index instead of sorting all of the owner's rows.
 */
const ownerSortIndexes: Migration = {
  async up(db: Kysely<any>) {
    for (const column of ["price", "title", "views"]) {
      await db.schema.createIndex(`items_owner_${column}_idx`).on("items").columns(["owner_id", column, "id"]).execute();
    }
    await db.schema.createIndex("items_owner_id_idx").on("items").columns(["owner_id", "id"]).execute();
  },

  async down(db: Kysely<any>) {
    for (const name of ["price", "title", "views", "id"]) await db.schema.dropIndex(`items_owner_${name}_idx`).execute();
  },
};

/** 0003: password-reset tokens (hashes only), looked up by hash and purged per user. */
const passwordResetTokens: Migration = {
  async up(db: Kysely<any>) {
    const c = columnsFor(dialectOf(db));
    await db.schema
      .createTable("password_reset_tokens")
      .addColumn("token_hash", "varchar(64)", (col) => col.primaryKey())
      .addColumn("user_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
      .addColumn("expires_at", c.timestamp, (col) => col.notNull())
      .addColumn("created_at", c.timestamp, (col) => col.notNull().defaultTo(c.now))
      .addColumn("used_at", c.timestamp)
      .execute();
    await db.schema.createIndex("password_reset_tokens_user_idx").on("password_reset_tokens").column("user_id").execute();
  },

  async down(db: Kysely<any>) {
    await db.schema.dropTable("password_reset_tokens").execute();
  },
};

/**
 * 0004: usernames unique whatever their case (`alice` and `Alice` were two accounts). A database
 * already holding such a pair fails this migration; rename one of them first.
 */
const usernameCaseInsensitive: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex("users_username_lower_unique").on("users").unique().expression(sql`lower(username)`).execute();
  },

  async down(db: Kysely<any>) {
    await db.schema.dropIndex("users_username_lower_unique").execute();
  },
};

/** Every migration, in order. Names sort lexicographically; never rename or edit a shipped one. */
export const migrations: Readonly<Record<string, Migration>> = {
  "0001_initial": initial,
  "0002_owner_sort_indexes": ownerSortIndexes,
  "0003_password_reset_tokens": passwordResetTokens,
  "0004_username_case_insensitive": usernameCaseInsensitive,
};

/**
 * Hands the in-code migrations to Kysely's Migrator: no migration folder to ship or glob.
 *
 * @example
 * ```ts
 * const migrator = new Migrator({ db, provider: inCodeMigrations });
 * ```
 */
export const inCodeMigrations: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...migrations }),
};
