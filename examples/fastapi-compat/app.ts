import { Velox, jsonable, param } from "velox";
import { z } from "zod";

const Item = z.object({ name: z.string(), description: z.string().nullable().default(null), price: z.number(), tax: z.number().default(10.5) }).meta({ id: "Item" });
const User = z.object({ username: z.string(), full_name: z.string().nullable().default(null) }).meta({ id: "User" });
const items: Record<string, unknown> = { foo: { name: "Foo", price: 50.2 }, bar: { name: "Bar", description: "The bartenders", price: 62, tax: 20.2 } };

/** FastAPI's everyday body, parameter and response options, for a client migrating unchanged. */
export const app = new Velox({ title: "FastAPI-compatible", compat: "fastapi", logger: false });

// item + user + a singular importance value: {"item": {...}, "user": {...}, "importance": 5}
app.put("/items/{item_id}", { name: "update_item", path: { item_id: z.int() }, body: { item: Item, user: User, importance: z.int() } }, ({ path, body }) => ({ item_id: path.item_id, ...body }));

// response_model_exclude_unset: only what the stored item has
app.get("/items/{item_id}", { name: "read_item", path: { item_id: z.string() }, response: Item, responseExcludeUnset: true }, ({ path }) => items[path.item_id] as z.input<typeof Item>);

// a header read literally, and a parameter left out of the docs
app.get("/headers", {
  headers: { strange_header: param(z.string().nullable().default(null), { convertUnderscores: false }), debug: param(z.string().optional(), { includeInSchema: false }) },
}, ({ headers }) => headers);

// what JSON.stringify cannot write, and a link built from a route name
app.get("/stats", {}, () => jsonable({ since: new Date(0), total: 2n ** 70n, tags: new Set(["a", "b"]), link: app.urlFor("read_item", { item_id: "foo" }) }));
