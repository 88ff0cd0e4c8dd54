import { z } from "zod";
import type { Item } from "../repositories/rows.ts";
import { textField } from "./columns.ts";

const title = textField(200).trim().min(1); // varchar(200)
const description = textField(5000).nullable(); // text
const price = z.number().min(0).max(1_000_000_000);

/**
 * What a client sends to create an item.
 *
 * @example
 * ```ts
 * router.post("/items", { body: ItemCreate, status: 201 }, ({ body }) => items.create(user.id, body));
 * ```
 */
export const ItemCreate = z
  .object({ title, description: description.optional(), price })
  .strict()
  .meta({ id: "ItemCreate" });

/**
 * A partial update: omitted fields keep their value; `description: null` clears it.
 *
 * @example
 * ```ts
 * ItemUpdate.parse({ price: 9.5, description: null });
 * ```
 */
export const ItemUpdate = z
  .object({ title: title.optional(), description: description.optional(), price: price.optional() })
  .strict()
  .meta({ id: "ItemUpdate" });

/**
 * An item as clients see it (`Item` in OpenAPI).
 *
 * @example
 * ```ts
 * router.get("/items/{item_id}", { response: ItemOut }, async () => itemOut(item));
 * ```
 */
export const ItemOut = z
  .object({
    id: z.int(),
    owner_id: z.int(),
    title: z.string(),
    description: z.string().nullable(),
    price: z.number(),
    views: z.int().min(0),
    created_at: z.iso.datetime(),
  })
  .meta({ id: "Item" });

export type ItemOut = z.infer<typeof ItemOut>;

/**
 * Maps a repository `Item` to the API's snake_case shape.
 *
 * @example
 * ```ts
 * return itemOut(await services.items.create(user.id, body));
 * ```
 */
export function itemOut(item: Item): ItemOut {
  return {
    id: item.id,
    owner_id: item.ownerId,
    title: item.title,
    description: item.description,
    price: item.price,
    views: item.views,
    created_at: item.createdAt.toISOString(),
  };
}
