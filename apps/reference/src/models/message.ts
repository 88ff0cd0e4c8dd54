import { z } from "zod";

/** The `{"detail": "..."}` body of an HTTP error, for documented error responses. */
export const Message = z.object({ detail: z.string() }).meta({ id: "Message" });
