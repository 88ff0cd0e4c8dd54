import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { pageWindow, type PageRequest } from "./pagination.ts";
import { ITEM_COLUMNS, toItem, toUser, USER_COLUMNS, type Item, type User } from "./rows.ts";

/** A user with their items. */
export interface UserWithItems extends User {
  items: Item[];
}

/**
 * A page of users, each with their items, in exactly two queries whatever the page size: one for
 * the users, one `owner_id IN (…)` for all their items, joined in memory. Never one per user.
 *
 * @example
 * ```ts
 * const rows = await usersWithItems(db, { page: 1, size: 20 });
 * ```
 */
export async function usersWithItems(db: Kysely<Database>, request: PageRequest = {}): Promise<UserWithItems[]> {
  const window = pageWindow(request);
  const users = await db.selectFrom("users").select(USER_COLUMNS).orderBy("id").limit(window.size).offset(window.offset).execute();
  if (users.length === 0) return [];
  const items = await db
    .selectFrom("items")
    .select(ITEM_COLUMNS)
    .where(
      "owner_id",
      "in",
      users.map((user) => user.id),
    )
    .orderBy("owner_id")
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  const byOwner = new Map<number, Item[]>();
  for (const row of items) {
    const list = byOwner.get(row.owner_id);
    if (list) list.push(toItem(row));
    else byOwner.set(row.owner_id, [toItem(row)]);
  }
  return users.map((row) => ({ ...toUser(row), items: byOwner.get(row.id) ?? [] }));
}
