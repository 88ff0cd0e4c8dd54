import { z } from "zod";
import { HTTPException, Velox } from "velox";

const Item = z.object({ id: z.int(), name: z.string().min(1), price: z.number().positive() }).meta({ id: "Item" });
const ItemIn = Item.omit({ id: true }).meta({ id: "ItemIn" });

const items = new Map<number, z.infer<typeof Item>>();

export const app = new Velox({ title: "Hello Velox", version: "1.0.0" });

app.get("/items/{id}", {
  path: { id: z.int().min(1) },
  query: { q: z.string().max(50).optional() },
  response: Item,
  summary: "Read one item",
}, ({ path }) => {
  const item = items.get(path.id);
  if (!item) throw new HTTPException(404, "Item not found");
  return item;
});

app.post("/items", { body: ItemIn, status: 201, response: Item }, ({ body }) => {
  const item = { id: items.size + 1, ...body };
  items.set(item.id, item);
  return item;
});

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await app.listen({ port: Number(process.env.PORT ?? 8000) });
  console.log(`Listening on http://127.0.0.1:${(server.address() as { port: number }).port}`);
}
