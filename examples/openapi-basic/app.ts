/**
 * OpenAPI example: a small items API whose document, Swagger UI (/docs) and ReDoc (/redoc) come
 * from the route declarations alone. Run: npx tsx --conditions=velox-source examples/openapi-basic/app.ts
 */
import { HTTPException, OAuth2PasswordBearer, OAuth2PasswordRequestForm, Router, Velox, Webhooks, depends, security, unauthorized } from "velox";
import { z } from "zod";

const Item = z
  .object({
    id: z.int(),
    name: z.string().min(1).meta({ description: "What the item is called", examples: ["Hammer"] }),
    price: z.number().positive(),
    tags: z.array(z.string()).default([]),
  })
  .meta({ id: "Item" });
const ItemIn = Item.omit({ id: true }).meta({ id: "ItemIn" });
const Message = z.object({ detail: z.string() }).meta({ id: "Message" });
const Token = z.object({ access_token: z.string(), token_type: z.literal("bearer") }).meta({ id: "Token" });

const items = new Map<number, z.infer<typeof Item>>([[1, { id: 1, name: "Hammer", price: 9.5, tags: ["tools"] }]]);

// A demo login: any user whose password is "secret" gets a token carrying the scopes they asked
// for. The token is NOT signed: see examples/oauth2-jwt for real tokens.
const oauth2 = OAuth2PasswordBearer({ tokenUrl: "token", scopes: { "items:write": "Create and delete items" } });
const issue = (sub: string, scopes: string[]) => Buffer.from(JSON.stringify({ sub, scopes })).toString("base64url");
const Claims = z.object({ sub: z.string(), scopes: z.array(z.string()) });
const currentUser = depends({ deps: { token: oauth2 } }, ({ token, securityScopes }) => {
  let claims: z.infer<typeof Claims>;
  try {
    claims = Claims.parse(JSON.parse(Buffer.from(token, "base64url").toString()));
  } catch {
    throw unauthorized(oauth2, "Could not validate credentials");
  }
  if (!securityScopes.scopes.every((s) => claims.scopes.includes(s))) throw new HTTPException(403, "Not enough permissions");
  return { username: claims.sub };
});

export const webhooks = new Webhooks().post("item-created", {
  name: "itemCreated",
  body: Item,
  summary: "An item was created",
  description: "Sent to every subscriber after `POST /items` succeeds.",
});

export const app = new Velox({
  title: "Items API",
  version: "1.0.0",
  description: "A small items API, documented from its routes.",
  openapi: {
    tags: [
      { name: "items", description: "Create, read and delete **items**." },
      { name: "auth", description: "Get a token for the protected operations." },
    ],
    webhooks,
  },
});

app.post("/token", { deps: { credentials: OAuth2PasswordRequestForm }, response: Token, tags: ["auth"] }, function login({ credentials }) {
  if (credentials.password !== "secret") throw new HTTPException(400, "Incorrect username or password");
  return { access_token: issue(credentials.username, credentials.scopes), token_type: "bearer" as const };
});

const router = new Router({ prefix: "/items", tags: ["items"], responses: { 404: { schema: Message, description: "No such item" } } });

router.get("", {
  query: { limit: z.int().min(1).max(100).default(10).meta({ description: "Most items to return" }) },
  response: z.array(Item),
}, function listItems({ query }) {
  return [...items.values()].slice(0, query.limit);
});

router.get("/{item_id}", { path: { item_id: z.int().min(1) }, response: Item }, function readItem({ path }) {
  const item = items.get(path.item_id);
  if (!item) throw new HTTPException(404, "Item not found");
  return item;
});

router.post("", {
  body: ItemIn,
  status: 201,
  response: Item,
  deps: { user: security(currentUser, ["items:write"]) },
}, function createItem({ body }) {
  const item = { id: items.size + 1, ...body };
  items.set(item.id, item);
  return item;
});

router.delete("/{item_id}", { path: { item_id: z.int().min(1) }, status: 204, deps: { user: security(currentUser, ["items:write"]) } }, function deleteItem({ path }) {
  if (!items.delete(path.item_id)) throw new HTTPException(404, "Item not found");
});

app.include(router);

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await app.listen({ port: Number(process.env.PORT ?? 8000) });
  console.log(`Docs on http://127.0.0.1:${(server.address() as { port: number }).port}/docs`);
}
