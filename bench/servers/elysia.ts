/** Elysia 1.4 on Bun (not Node): `bun bench/servers/elysia.ts --port N`. */
import { Elysia, t } from "elysia";
import { CATEGORIES, HELLO, ID_MAX, makeUser } from "./fixtures.ts";
import { HOST, serverPort } from "./port.ts";

const User = t.Object({
  id: t.Integer(), username: t.String(), email: t.String(), firstName: t.String(),
  lastName: t.String(), age: t.Integer(), active: t.Boolean(), role: t.String(),
  createdAt: t.String(), fields: t.Nullable(t.String()),
});
const ItemIn = t.Object({
  name: t.String({ minLength: 1, maxLength: 100 }),
  sku: t.String({ pattern: "^[A-Z]{3}-\\d{5}$" }),
  price: t.Number({ minimum: 0 }),
  quantity: t.Integer({ minimum: 0, maximum: 10000 }),
  inStock: t.Boolean(),
  category: t.UnionEnum([...CATEGORIES]),
  tags: t.Array(t.String({ minLength: 1, maxLength: 20 }), { maxItems: 10 }),
  dimensions: t.Object({
    width: t.Number({ exclusiveMinimum: 0 }),
    height: t.Number({ exclusiveMinimum: 0 }),
    depth: t.Number({ exclusiveMinimum: 0 }),
  }),
});
const ItemOut = t.Composite([t.Object({ id: t.Integer() }), ItemIn]);

let nextId = 1;

new Elysia()
  // Elysia answers 422 for schema errors already; a malformed or mistyped body is a 400 "PARSE".
  .onError(({ code, status }) => {
    if (code === "PARSE") return status(422, { detail: "invalid body" });
  })
  .get("/json", () => HELLO)
  .get("/users/:id", ({ params, query }) => makeUser(params.id, query.fields), {
    params: t.Object({ id: t.Integer({ minimum: 1, maximum: ID_MAX }) }),
    query: t.Object({ fields: t.Optional(t.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z_,]+$" })) }),
    response: User,
  })
  .post("/items", ({ body, status }) => status(201, { id: nextId++, ...body }), {
    body: ItemIn,
    response: { 201: ItemOut },
  })
  .listen({ port: serverPort(), hostname: HOST });
