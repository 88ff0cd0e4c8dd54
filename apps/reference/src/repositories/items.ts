import type { Kysely } from "kysely";
import { toCount } from "../db/dialect.ts";
import type { Database } from "../db/schema.ts";
import { pageWindow, toPage, type Page, type PageRequest } from "./pagination.ts";
import { isoNow, ITEM_COLUMNS, toItem, type Item } from "./rows.ts";

/** The columns a list may sort by: a whitelist, so a query string never reaches ORDER BY. */
export const ITEM_SORT_FIELDS = ["created_at", "price", "title", "views", "id"] as const;
export type ItemSortField = (typeof ITEM_SORT_FIELDS)[number];
export type SortOrder = "asc" | "desc";

/** What creating an item needs. */
export interface NewItem {
  title: string;
  description?: string | null;
  price: number;
}

/** A partial update; omitted fields keep their value. */
export type ItemPatch = Partial<NewItem>;

/** A list request: a page window plus sorting, optionally narrowed to one owner. */
export interface ItemListRequest extends PageRequest {
  ownerId?: number;
  sort?: ItemSortField;
  order?: SortOrder;
}

/**
 * Items, always scoped by owner for reads and writes: another user's item is "not found"
 * (undefined/false), never "forbidden", so ids of other users' items are not revealed.
 *
 * @example
 * ```ts
 * const items = new ItemsRepository(db);
 * const item = await items.create(user.id, { title: "Lamp", price: 12.5 });
 * ```
 */
export class ItemsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * @example
   * ```ts
   * const item = await items.create(ownerId, { title: "Desk", description: "oak", price: 250 });
   * ```
   */
  async create(ownerId: number, input: NewItem): Promise<Item> {
    const row = await this.db
      .insertInto("items")
      .values({ owner_id: ownerId, title: input.title, description: input.description ?? null, price: input.price, created_at: isoNow() })
      .returning(ITEM_COLUMNS)
      .executeTakeFirstOrThrow();
    return toItem(row);
  }

  /**
   * The owner's item, or undefined when it does not exist or belongs to someone else.
   *
   * @example
   * ```ts
   * const item = await items.get(user.id, path.id);
   * if (!item) throw new HTTPException(404, "Item not found");
   * ```
   */
  async get(ownerId: number, id: number): Promise<Item | undefined> {
    const row = await this.db
      .selectFrom("items")
      .select(ITEM_COLUMNS)
      .where("id", "=", id)
      .where("owner_id", "=", ownerId)
      .executeTakeFirst();
    return row && toItem(row);
  }

  /**
   * Applies a patch to the owner's item; undefined when not found (or not theirs).
   *
   * @example
   * ```ts
   * const updated = await items.update(user.id, id, { price: 9.99 });
   * ```
   */
  async update(ownerId: number, id: number, patch: ItemPatch): Promise<Item | undefined> {
    const changes = {
      ...(patch.title === undefined ? {} : { title: patch.title }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.price === undefined ? {} : { price: patch.price }),
    };
    if (Object.keys(changes).length === 0) return this.get(ownerId, id);
    const row = await this.db
      .updateTable("items")
      .set(changes)
      .where("id", "=", id)
      .where("owner_id", "=", ownerId)
      .returning(ITEM_COLUMNS)
      .executeTakeFirst();
    return row && toItem(row);
  }

  /**
   * @example
   * ```ts
   * if (!(await items.delete(user.id, id))) throw new HTTPException(404, "Item not found");
   * ```
   */
  async delete(ownerId: number, id: number): Promise<boolean> {
    const result = await this.db.deleteFrom("items").where("id", "=", id).where("owner_id", "=", ownerId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * Counts a view of an item (its popularity), atomically in the database.
   *
   * @example
   * ```ts
   * await items.recordView(item.id);
   * ```
   */
  async recordView(id: number): Promise<void> {
    await this.db
      .updateTable("items")
      .set((eb) => ({ views: eb("views", "+", 1) }))
      .where("id", "=", id)
      .execute();
  }

  /**
   * Adds buffered view counts (item id → views) in one transaction; ids of items deleted since
   * are skipped. `ViewCounter` calls it.
   *
   * @example
   * ```ts
   * await items.addViews(new Map([[item.id, 3]]));
   * ```
   */
  async addViews(counts: ReadonlyMap<number, number>): Promise<void> {
    if (counts.size === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const [id, views] of counts) {
        await trx
          .updateTable("items")
          .set((eb) => ({ views: eb("views", "+", views) }))
          .where("id", "=", id)
          .execute();
      }
    });
  }

  /**
   * A page of items (size capped at 100), sorted by a whitelisted column with `id` as the
   * tie-breaker so pages never overlap. Rows and total run concurrently.
   *
   * @example
   * ```ts
   * const page = await items.list({ ownerId: user.id, page: 2, size: 20, sort: "price", order: "desc" });
   * ```
   */
  async list(request: ItemListRequest = {}): Promise<Page<Item>> {
    const window = pageWindow(request);
    const sort = request.sort ?? "created_at";
    const order = request.order ?? "desc";
    if (!ITEM_SORT_FIELDS.includes(sort)) throw new RangeError(`cannot sort items by ${String(sort)}`);
    if (order !== "asc" && order !== "desc") throw new RangeError(`unknown sort order ${String(order)}`);
    let rows = this.db.selectFrom("items").select(ITEM_COLUMNS);
    let count = this.db.selectFrom("items").select((eb) => eb.fn.countAll().as("total"));
    if (request.ownerId !== undefined) {
      rows = rows.where("owner_id", "=", request.ownerId);
      count = count.where("owner_id", "=", request.ownerId);
    }
    const [found, total] = await Promise.all([
      rows.orderBy(sort, order).orderBy("id", order).limit(window.size).offset(window.offset).execute(),
      count.executeTakeFirstOrThrow(),
    ]);
    return toPage(found.map(toItem), toCount(total.total), window);
  }

  /**
   * The most viewed items across all users.
   *
   * @example
   * ```ts
   * const top = await items.popular(10);
   * ```
   */
  async popular(limit = 10): Promise<Item[]> {
    const rows = await this.db
      .selectFrom("items")
      .select(ITEM_COLUMNS)
      .orderBy("views", "desc")
      .orderBy("id", "asc")
      .limit(Math.min(Math.max(1, Math.trunc(limit) || 1), 100))
      .execute();
    return rows.map(toItem);
  }
}
