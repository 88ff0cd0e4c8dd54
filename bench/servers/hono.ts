/** Hono 4 on @hono/node-server, validated with zod through @hono/zod-validator. */
import { serve } from "@hono/node-server";
import { zValidator } from "@hono/zod-validator";
import { Hono, type Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { HELLO, makeUser } from "./fixtures.ts";
import { HOST, serverPort } from "./port.ts";
import { ItemIn, UserParams, UserQuery } from "./zod-schemas.ts";

/** Answers 422 with the zod issues, as FastAPI does, instead of the validator's default 400. */
function on422(result: { success: boolean; error?: { issues: unknown } }, c: Context) {
  if (!result.success) return c.json({ detail: result.error?.issues }, 422);
}

const app = new Hono();
let nextId = 1;

app.get("/json", (c) => c.json(HELLO));

app.get("/users/:id", zValidator("param", UserParams, on422), zValidator("query", UserQuery, on422), (c) => {
  const { id } = c.req.valid("param");
  const { fields } = c.req.valid("query");
  return c.json(makeUser(id, fields));
});

app.post("/items", zValidator("json", ItemIn, on422), (c) => c.json({ id: nextId++, ...c.req.valid("json") }, 201));

// The JSON validator throws a 400 HTTPException for a malformed body; FastAPI calls that a 422.
app.onError((err, c) => {
  if (err instanceof HTTPException && err.status === 400) return c.json({ detail: err.message }, 422);
  return c.json({ detail: "Internal Server Error" }, 500);
});

serve({ fetch: app.fetch, port: serverPort(), hostname: HOST });
