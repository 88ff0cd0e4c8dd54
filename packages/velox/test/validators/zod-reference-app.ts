import { z } from "zod";
import { Velox } from "../../src/index.ts";

/** Python's `class Kind(str, Enum)`: a TypeScript enum (a plain `z.enum([...])` is `Literal[...]`). */
enum Kind {
  A = "a",
  B = "b",
  C = "c",
}

/** The Zod twin of validators/fastapi-reference.py: same routes, same constraints. */
export function referenceApp(): Velox {
  const Item = z.object({
    name: z.string().min(1).max(20),
    price: z.number().gt(0),
    tax: z.number().min(0).max(1).default(0),
    quantity: z.int().min(1).lt(1000).default(1),
    pack: z.int().multipleOf(5).default(5),
    kind: z.enum(Kind).default(Kind.A),
    mode: z.literal("fast").default("fast"),
    tags: z.array(z.string()).min(1).max(3).default(["x"]),
    active: z.boolean().default(true),
    dimensions: z.object({ width: z.number(), height: z.number() }).nullish(),
    variants: z.array(z.object({ sku: z.string().min(2), stock: z.int().default(0) })).default([]),
    id: z.guid().nullish(),
    created: z.iso.datetime().nullish(),
    contact: z.email().nullish(),
  });
  const itemId = z.int().min(1);
  const ok = () => ({ ok: true });
  const app = new Velox({ logger: false });
  app.get("/items/{item_id}", {
    path: { item_id: itemId },
    query: {
      q: z.string().min(3).max(10).optional(),
      size: z.int().gt(0).lt(100).default(10),
      ratio: z.number().optional(),
      active: z.boolean().optional(),
      code: z.string().regex(/^[A-Z]{3}$/).optional(),
      ids: z.array(z.int()).optional(),
    },
  }, ok);
  app.get("/search", { query: { needed: z.string(), page: z.int().default(1) } }, ok);
  app.get("/whoami", { headers: { x_token: z.string(), x_retries: z.int().default(0) }, cookies: { session_id: z.string() } }, ok);
  app.post("/items", { body: Item }, ok);
  app.post("/strict", { body: z.strictObject({ a: z.int() }) }, ok);
  app.put("/items/{item_id}", { path: { item_id: itemId }, query: { limit: z.int().default(10) }, headers: { x_token: z.string() }, body: Item }, ok);
  return app;
}

