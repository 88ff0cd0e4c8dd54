import { HTTPException, Router, security } from "velox";
import { z } from "zod";
import { ITEM_SORT_FIELDS } from "../repositories/items.ts";
import { idField } from "../models/columns.ts";
import { ItemCreate, ItemOut, itemOut, ItemUpdate } from "../models/item.ts";
import { Message } from "../models/message.ts";
import { pageOf } from "../models/page.ts";
import { pageParams } from "../web/pagination.ts";
import { activeUser } from "../web/security.ts";
import { getServices } from "../web/services.ts";

/**
 * `Page[Item]`: a page of items.
 *
 * @example
 * ```ts
 * router.get("", { response: ItemPage }, async () => ({ ...page, items: page.items.map(itemOut) }));
 * ```
 */
export const ItemPage = pageOf(ItemOut, "Item");

const itemPath = { item_id: idField() };
const notFound = { 404: { schema: Message, description: "No such item among yours" } };
const reader = security(activeUser, ["read"]);
const writer = security(activeUser, ["write"]);

/**
 * `/items`: each user's own items (another user's item is a 404, never a 403, so ids of others'
 * items are not revealed), paginated and sorted lists, and the most viewed items.
 *
 * @example
 * ```ts
 * app.include(itemsRouter());
 * ```
 */
export function itemsRouter(): Router {
  const router = new Router({ prefix: "/items", tags: ["items"] });

  router.post(
    "",
    { body: ItemCreate, deps: { user: writer, services: getServices }, status: 201, response: ItemOut, summary: "Create an item" },
    async function createItem({ body, user, services }) {
      const item = await services.items.create(user.id, body);
      await services.itemReads.invalidateOwner(user.id);
      services.itemEvents.publish(user.id, "created", item);
      return itemOut(item);
    },
  );

  router.get(
    "",
    {
      query: {
        sort: z.enum(ITEM_SORT_FIELDS).default("created_at").describe("Column to sort by."),
        order: z.enum(["asc", "desc"]).default("desc"),
      },
      deps: { user: reader, window: pageParams, services: getServices },
      response: ItemPage,
      summary: "List your items",
      description: "Pages are cached for a moment (LIST_CACHE_TTL_MS); your own changes show at once.",
    },
    async function listItems({ query, user, window, services }) {
      const page = await services.itemReads.list({ ownerId: user.id, ...window, sort: query.sort, order: query.order });
      return { ...page, items: page.items.map(itemOut) };
    },
  );

  router.get(
    "/popular",
    {
      query: { limit: z.int().min(1).max(100).default(10) },
      deps: { user: reader, services: getServices },
      response: z.array(ItemOut),
      summary: "The most viewed items of all users",
      description: "Cached for ITEM_CACHE_TTL_MS (view counts may lag by as much); any item write refreshes it.",
    },
    async function popularItems({ query, services }) {
      return (await services.itemReads.popular(query.limit)).map(itemOut);
    },
  );

  router.get(
    "/{item_id}",
    { path: itemPath, deps: { user: reader, services: getServices }, response: ItemOut, responses: notFound, summary: "Read one of your items" },
    async function readItem({ path, user, services }) {
      const item = await services.itemReads.get(user.id, path.item_id);
      if (!item) throw new HTTPException(404, "Item not found");
      // Counted in memory and written in batches: a read costs no write.
      services.views.record(item.id);
      return itemOut(item);
    },
  );

  router.patch(
    "/{item_id}",
    { path: itemPath, body: ItemUpdate, deps: { user: writer, services: getServices }, response: ItemOut, responses: notFound, summary: "Change one of your items" },
    async function updateItem({ path, body, user, services }) {
      const item = await services.items.update(user.id, path.item_id, body);
      if (!item) throw new HTTPException(404, "Item not found");
      await services.itemReads.invalidateOwner(user.id);
      services.itemEvents.publish(user.id, "updated", item);
      return itemOut(item);
    },
  );

  router.delete(
    "/{item_id}",
    { path: itemPath, deps: { user: writer, services: getServices }, status: 204, responses: notFound, summary: "Delete one of your items" },
    async function deleteItem({ path, user, services }) {
      if (!(await services.items.delete(user.id, path.item_id))) throw new HTTPException(404, "Item not found");
      await services.itemReads.invalidateOwner(user.id);
      services.itemEvents.publish(user.id, "deleted", null, path.item_id);
    },
  );

  return router;
}
