import { Router, security, ServerSentEvent, sse } from "velox";
import { z } from "zod";
import type { ItemEvent } from "../events/item-events.ts";
import { textField } from "../models/columns.ts";
import { ItemOut, itemOut } from "../models/item.ts";
import { activeUser } from "../web/security.ts";
import { getServices } from "../web/services.ts";

/**
 * One change to one of your items, as `GET /items/events` sends it (the SSE event's `data`).
 *
 * @example
 * ```ts
 * router.get("/events", { response: sse(ItemEventOut) }, async function* () { yield itemEventOut(event); });
 * ```
 */
export const ItemEventOut = z
  .object({
    type: z.enum(["created", "updated", "deleted"]),
    item_id: z.int(),
    item: ItemOut.nullable().describe("The item after the change; null once deleted."),
  })
  .meta({ id: "ItemEvent" });

function itemEventOut(event: ItemEvent): z.input<typeof ItemEventOut> {
  return { type: event.type, item_id: event.itemId, item: event.item === null ? null : itemOut(event.item) };
}

/**
 * `GET /items/events`: a Server-Sent Events stream of the current user's item changes
 * (`event: created|updated|deleted`, the item as `data`, an `id` to resume from). A client that
 * reconnects with `Last-Event-ID` first gets what it missed (the last 100 changes: of every
 * instance with `REDIS_URL`, of this process without).
 *
 * @example
 * ```ts
 * app.include(itemEventsRouter());
 * ```
 */
export function itemEventsRouter(): Router {
  const router = new Router({ prefix: "/items", tags: ["items"] });
  router.get(
    "/events",
    {
      headers: { last_event_id: textField(64).optional().describe("The id of the last event received, to resume after a reconnect.") },
      deps: { user: security(activeUser, ["read"]), services: getServices },
      response: sse(ItemEventOut),
      summary: "Stream changes to your items",
      description: "Server-Sent Events: `created`, `updated` and `deleted`, each with the item as `data`. A comment line keeps idle connections open every 15 s. With Redis configured, changes made through any instance, and `Last-Event-ID` resumes on any instance; without it, those made through this server process.",
    },
    async function* itemEvents({ headers, user, services, signal }) {
      for await (const event of services.itemEvents.subscribe(user.id, { signal, after: headers.last_event_id })) {
        yield new ServerSentEvent({ data: itemEventOut(event), event: event.type, id: event.id });
      }
    },
  );
  return router;
}
