import { HTTPException, Velox } from "velox";
import { cached, createCache, httpCaching } from "velox/cache";
import { z } from "zod";

/** A slow "database" of products; `reads` counts the queries the cache saved or not. */
const products = new Map([
  [1, { id: 1, name: "Lamp", price: 12.5 }],
  [2, { id: 2, name: "Desk", price: 120 }],
]);
export const db = {
  reads: 0,
  async product(id: number) {
    this.reads++;
    await new Promise((r) => setTimeout(r, 5));
    return products.get(id) ?? null;
  },
  async all() {
    this.reads++;
    return [...products.values()];
  },
};

const Product = z.object({ id: z.int(), name: z.string(), price: z.number() });

// Memory by default; memory in front of Redis when REDIS_URL is set (the same code either way).
export const cache = await createCache({ ttl: 30_000, grace: 60_000, redis: process.env.REDIS_URL ? { url: process.env.REDIS_URL, prefix: "example:" } : undefined });

/** A plain function, cached: one query per product per TTL, however many requests miss at once. */
const productById = cached((id: number) => db.product(id), { cache, key: (id) => `product:${id}`, tags: (id) => [`product:${id}`, "products"], schema: Product.nullable() });

export const app = new Velox({ title: "Cache example", logger: false });
app.addHook("onClose", () => cache.close());

app.get("/products", { response: z.array(Product), hooks: httpCaching({ scope: "public", maxAge: 10, staleWhileRevalidate: 60 }) }, () =>
  cache.getOrSet("products:all", () => db.all(), { tags: ["products"], schema: z.array(Product) }),
);

app.get("/products/{id}", { path: { id: z.coerce.number().int() }, response: Product, hooks: httpCaching({ maxAge: 0, noCache: true }) }, async ({ path }) => {
  const product = await productById(path.id);
  if (product === null) throw new HTTPException(404, "Product not found");
  return product;
});

app.put("/products/{id}", { path: { id: z.coerce.number().int() }, body: Product.omit({ id: true }), response: Product }, async ({ path, body }) => {
  const product = { id: path.id, ...body };
  products.set(path.id, product);
  await cache.invalidateTags([`product:${path.id}`]);
  await cache.invalidateTags(["products"]);
  return product;
});
