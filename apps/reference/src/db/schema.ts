import type { ColumnType, Generated } from "kysely";

/**
 * A timestamp column. PostgreSQL (`timestamptz`) returns a Date, SQLite (`text`) an ISO-8601
 * string; both are written as ISO-8601 strings, which SQLite compares correctly as text.
 */
export type Timestamp = ColumnType<Date | string, string | undefined, string>;

/** A boolean column. SQLite returns 0/1; writes pass booleans (the SQLite plugin maps them). */
export type BoolColumn = ColumnType<boolean | number, boolean | undefined, boolean>;

/** `users`: accounts, credentials and OAuth2 scopes (space-separated, as in OAuth2). */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string;
  hashed_password: string;
  full_name: string | null;
  is_active: BoolColumn;
  is_superuser: BoolColumn;
  scopes: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
}

/** `items`: owned by a user; `views` is the popularity counter. */
export interface ItemsTable {
  id: Generated<number>;
  owner_id: number;
  title: string;
  description: string | null;
  price: number;
  views: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
}

/** `refresh_tokens`: one row per issued refresh token; a rotation chain shares `family_id`. */
export interface RefreshTokensTable {
  jti: string;
  family_id: string;
  user_id: number;
  expires_at: Timestamp;
  created_at: Timestamp;
  used_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
  revoked_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
}

/** `password_reset_tokens`: single-use reset tokens, stored as SHA-256 hashes only. */
export interface PasswordResetTokensTable {
  token_hash: string;
  user_id: number;
  expires_at: Timestamp;
  created_at: Timestamp;
  used_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
}

/** The typed database Kysely queries against. */
export interface Database {
  users: UsersTable;
  items: ItemsTable;
  refresh_tokens: RefreshTokensTable;
  password_reset_tokens: PasswordResetTokensTable;
}
