import { z } from "zod";

/**
 * The `{"detail": "..."}` body of an HTTP error, for documented error responses.
 *
 * @example
 * ```ts
 * router.get("/items/{item_id}", { responses: { 404: { schema: Message, description: "No such item" } } }, handler);
 * ```
 */
export const Message = z.object({ detail: z.string() }).meta({ id: "Message" });
