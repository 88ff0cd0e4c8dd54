import type { Selectable } from "kysely";
import type { ItemsTable, UsersTable } from "../db/schema.ts";

/** A user as the app sees it. The password hash is deliberately absent (see `UserCredentials`). */
export interface User {
  id: number;
  username: string;
  email: string;
  fullName: string | null;
  isActive: boolean;
  isSuperuser: boolean;
  scopes: string[];
  createdAt: Date;
}

/** An item. */
export interface Item {
  id: number;
  ownerId: number;
  title: string;
  description: string | null;
  price: number;
  views: number;
  createdAt: Date;
}

/** Columns of `users` that make a `User`: never `hashed_password`. */
export const USER_COLUMNS = ["id", "username", "email", "full_name", "is_active", "is_superuser", "scopes", "created_at"] as const;

/** Columns of `items` that make an `Item`. */
export const ITEM_COLUMNS = ["id", "owner_id", "title", "description", "price", "views", "created_at"] as const;

/**
 * Maps a `users` row to a `User`, smoothing SQLite's 0/1 booleans and text timestamps.
 *
 * @example
 * ```ts
 * const user = toUser(await db.selectFrom("users").select(USER_COLUMNS).where("id", "=", 1).executeTakeFirstOrThrow());
 * ```
 */
export function toUser(row: Pick<Selectable<UsersTable>, (typeof USER_COLUMNS)[number]>): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    fullName: row.full_name,
    isActive: Boolean(row.is_active),
    isSuperuser: Boolean(row.is_superuser),
    scopes: splitScopes(row.scopes),
    createdAt: toDate(row.created_at),
  };
}

/**
 * Maps an `items` row to an `Item`.
 *
 * @example
 * ```ts
 * const items = rows.map(toItem);
 * ```
 */
export function toItem(row: Pick<Selectable<ItemsTable>, (typeof ITEM_COLUMNS)[number]>): Item {
  return {
    id: row.id,
    ownerId: row.owner_id,
    title: row.title,
    description: row.description,
    price: Number(row.price),
    views: Number(row.views),
    createdAt: toDate(row.created_at),
  };
}

/**
 * A timestamp from either database as a Date.
 *
 * @example
 * ```ts
 * toDate("2026-01-01T00:00:00.000Z"); // Date
 * ```
 */
export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/**
 * The timestamp format both databases store and compare correctly.
 *
 * @example
 * ```ts
 * await db.updateTable("refresh_tokens").set({ used_at: isoNow() })…
 * ```
 */
export function isoNow(now: Date = new Date()): string {
  return now.toISOString();
}

function splitScopes(scopes: string): string[] {
  return scopes.split(" ").filter((scope) => scope !== "");
}
