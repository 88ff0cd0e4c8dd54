/** Fastify 5 with TypeBox schemas; validation failures answer 422 like every other contract server. */
import Fastify, { type FastifyError } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { CATEGORIES, HELLO, ID_MAX, makeUser } from "./fixtures.ts";
import { HOST, serverPort } from "./port.ts";

const Hello = Type.Object({ message: Type.String() });
const UserParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: ID_MAX }) });
const UserQuery = Type.Object({
  fields: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z_,]+$" })),
});
const User = Type.Object({
  id: Type.Integer(), username: Type.String(), email: Type.String(), firstName: Type.String(),
  lastName: Type.String(), age: Type.Integer(), active: Type.Boolean(), role: Type.String(),
  // A type list, not Type.Union: fast-json-stringify serializes it without running a validator.
  createdAt: Type.String(), fields: Type.Unsafe<string | null>({ type: ["string", "null"] }),
});
const ItemIn = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  sku: Type.String({ pattern: "^[A-Z]{3}-\\d{5}$" }),
  price: Type.Number({ minimum: 0 }),
  quantity: Type.Integer({ minimum: 0, maximum: 10000 }),
  inStock: Type.Boolean(),
  category: Type.Union(CATEGORIES.map((c) => Type.Literal(c))),
  tags: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 10 }),
  dimensions: Type.Object({
    width: Type.Number({ exclusiveMinimum: 0 }),
    height: Type.Number({ exclusiveMinimum: 0 }),
    depth: Type.Number({ exclusiveMinimum: 0 }),
  }),
});
const ItemOut = Type.Composite([Type.Object({ id: Type.Integer() }), ItemIn]);

/** Body-parser failures that FastAPI reports as 422 (bad JSON, wrong or missing content type). */
const BODY_ERRORS = new Set([
  "FST_ERR_CTP_INVALID_MEDIA_TYPE", "FST_ERR_CTP_EMPTY_JSON_BODY", "FST_ERR_CTP_INVALID_JSON_BODY",
]);

const app = Fastify({ logger: false });
let nextId = 1;

app.setErrorHandler((err: FastifyError, _req, reply) => {
  if (err.validation) return reply.code(422).send({ detail: err.validation });
  if (BODY_ERRORS.has(err.code) || err instanceof SyntaxError) return reply.code(422).send({ detail: err.message });
  return reply.send(err);
});

app.get("/json", { schema: { response: { 200: Hello } } }, async () => HELLO);

app.get<{ Params: Static<typeof UserParams>; Querystring: Static<typeof UserQuery> }>(
  "/users/:id",
  { schema: { params: UserParams, querystring: UserQuery, response: { 200: User } } },
  async (req) => makeUser(req.params.id, req.query.fields),
);

app.post<{ Body: Static<typeof ItemIn> }>(
  "/items",
  { schema: { body: ItemIn, response: { 201: ItemOut } } },
  async (req, reply) => reply.code(201).send({ id: nextId++, ...req.body }),
);

await app.listen({ port: serverPort(), host: HOST });
