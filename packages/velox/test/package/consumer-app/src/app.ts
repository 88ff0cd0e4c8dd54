/**
 * The app of the package consumer test (../consumer.test.ts): copied into a fresh project that
 * installs the packed tarball, compiled with tsc under `nodenext` and `bundler`, run with plain node.
 */
import { depends, HTTPException, Velox } from "velox";
import { z } from "zod";

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Fails to compile unless `T` is `true`: the handler context's types are checked in the consumer. */
function assertType<T extends true>(): T | undefined {
  return undefined;
}

export const app = new Velox({ title: "Consumer", version: "1.0.0" });

const Item = z.object({ name: z.string().min(1), price: z.number().positive() });
const ItemOut = Item.extend({ id: z.int() });
const store = depends(() => ({ next: 1 }));

app.get(
  "/items/{id}",
  { path: { id: z.int().min(1) }, query: { q: z.string().optional(), limit: z.int().default(10) } },
  ({ path, query }) => {
    assertType<Equals<typeof path, { id: number }>>();
    assertType<Equals<typeof query.q, string | undefined>>();
    assertType<Equals<typeof query.limit, number>>();
    // @ts-expect-error `name` is not a path parameter
    void path.name;
    if (path.id === 404) throw new HTTPException(404, "no such item");
    return { id: path.id, q: query.q ?? null, limit: query.limit };
  },
);

app.post("/items", { body: Item, status: 201, response: ItemOut, deps: { store } }, ({ body, store }) => {
  assertType<Equals<typeof body, { name: string; price: number }>>();
  assertType<Equals<typeof store, { next: number }>>();
  return { id: store.next++, ...body };
});

// @ts-expect-error the response model needs `price`
app.get("/wrong", { response: ItemOut }, () => ({ id: 1, name: "a" }));
