/**
 * An app that uses every feature the OpenAPI generator documents, shared by the generator,
 * validator, client-type and browser tests.
 */
import { type } from "arktype";
import { z } from "zod";
import {
  APIKeyHeader,
  HTTPBasic,
  HTTPException,
  OAuth2PasswordBearer,
  OAuth2PasswordRequestForm,
  Router,
  Velox,
  Webhooks,
  depends,
  security,
  unauthorized,
  type VeloxOptions,
} from "../../src/index.ts";

export const Tag = z.object({ name: z.string(), weight: z.number().default(1) }).meta({ id: "Tag", description: "A label on an item" });
export const Item = z
  .object({
    id: z.int(),
    name: z.string().min(1).meta({ description: "Display name", examples: ["Hammer"] }),
    price: z.number().positive(),
    tags: z.array(Tag),
  })
  .meta({ id: "Item", title: "Item" });
export const ItemIn = Item.omit({ id: true }).meta({ id: "ItemIn" });
export const Message = z.object({ detail: z.string() }).meta({ id: "Message" });
export const Token = z.object({ access_token: z.string(), token_type: z.string() }).meta({ id: "Token" });
export const User = z.object({ username: z.string(), scopes: z.array(z.string()) }).meta({ id: "User" });
export const Filters = z
  .object({
    limit: z.int().min(1).max(100).default(10),
    offset: z.int().min(0).default(0),
    order: z.enum(["asc", "desc"]).optional(),
  })
  .meta({ id: "Filters" });

interface Category {
  name: string;
  children: Category[];
}
export const Category: z.ZodType<Category> = z.object({
  name: z.string(),
  get children() {
    return z.array(Category);
  },
}).meta({ id: "Category" });

export const Subscription = z.object({ username: z.string(), plan: z.enum(["free", "pro"]) }).meta({ id: "Subscription" });

/** The only user: `alice` / `secret`; her token is `token-alice`. */
export const USERS = new Map([["alice", { password: "secret", scopes: ["items:read", "items:write", "me"] }]]);

export const oauth2 = OAuth2PasswordBearer({
  tokenUrl: "token",
  scopes: { "items:read": "Read items", "items:write": "Create items", me: "Read your profile" },
});
export const apiKey = APIKeyHeader({ name: "x-api-key", autoError: false });
export const basic = HTTPBasic({ realm: "admin" });

export const currentUser = depends({ deps: { token: oauth2 } }, function currentUser({ token, securityScopes }) {
  const username = token.startsWith("token-") ? token.slice("token-".length) : "";
  const user = USERS.get(username);
  if (!user) throw unauthorized(oauth2, "Could not validate credentials");
  for (const scope of securityScopes.scopes) {
    if (!user.scopes.includes(scope)) throw new HTTPException(403, "Not enough permissions");
  }
  return { username, scopes: user.scopes };
});

const pagination = depends({ query: { page: z.int().min(1).default(1).meta({ description: "Page number" }) } }, ({ query }) => query.page);
const requestId = depends({ headers: { x_request_id: z.string().optional() } }, ({ headers }) => headers.x_request_id);

/** Builds the app; `options` are merged over the defaults (e.g. another error format). */
export function createRichApp(options: VeloxOptions = {}): Velox {
  const webhooks = new Webhooks();
  webhooks.post("new-subscription", {
    name: "newSubscription",
    body: Subscription,
    headers: { x_signature: z.string().meta({ description: "HMAC of the body" }) },
    summary: "A user subscribed",
    description: "Sent to your `subscriptionUrl` when a user starts a plan.",
  });
  const app = new Velox({
    title: "Rich",
    version: "2.0.0",
    description: "Every documented **feature**.",
    logger: false,
    ...options,
    openapi: {
      tags: [
        { name: "items", description: "Operations on items", externalDocs: { url: "https://example.com/items" } },
        { name: "users", description: "Who you are" },
      ],
      servers: [{ url: "https://api.example.com", description: "Production" }],
      contact: { name: "API team", email: "api@example.com" },
      license: { name: "MIT", identifier: "MIT" },
      webhooks,
      ...(options.openapi ?? {}),
    },
  });

  app.post("/token", { deps: { credentials: OAuth2PasswordRequestForm }, response: Token, tags: ["users"] }, function login({ credentials }) {
    const user = USERS.get(credentials.username);
    if (!user || user.password !== credentials.password) throw new HTTPException(400, "Incorrect username or password");
    return { access_token: `token-${credentials.username}`, token_type: "bearer" };
  });

  const items = new Router({ prefix: "/items", tags: ["items"], responses: { 404: { schema: Message, description: "Item not found" } } });
  items.get("", {
    query: Filters,
    deps: { page: pagination, user: security(currentUser, ["items:read"]), traceId: requestId },
    response: z.array(Item),
    summary: "List items",
    description: "Items visible to the caller, newest first.",
  }, function listItems({ query }) {
    return [{ id: 1 + query.offset, name: "Hammer", price: 9.5, tags: [{ name: "tools", weight: 2 }] }];
  });
  items.get("/{item_id}", {
    path: { item_id: z.int().min(1).meta({ description: "The item's id" }) },
    query: {
      q: z.string().max(50).optional().meta({ description: "Search text", examples: ["ham"] }),
      legacy: z.boolean().optional().meta({ deprecated: true }),
      ids: z.array(z.int()).optional(),
    },
    headers: { x_token: z.string().optional() },
    cookies: { session_id: z.string().optional() },
    deps: { user: security(currentUser, ["items:read"]) },
    response: Item,
  }, function readItem({ path }) {
    return { id: path.item_id, name: "Hammer", price: 9.5, tags: [] };
  });
  items.post("", {
    body: ItemIn,
    status: 201,
    response: Item,
    responseDescription: "The created item",
    deps: { user: security(currentUser, ["items:write"]) },
    responses: { 409: { schema: Message, description: "Name taken", headers: { "x-existing-id": { description: "Id of the item with that name", schema: { type: "integer" } } } } },
    openapiExtra: { "x-rate-limit": 10, parameters: [{ name: "x-trace", in: "header", required: false, schema: { type: "string" } }] },
  }, function createItem({ body }) {
    return { id: 42, ...body };
  });
  items.delete("/{item_id}", { path: { item_id: z.int() }, status: 204, deprecated: true, deps: { user: currentUser } }, function deleteItem() {
    return undefined;
  });
  app.include(items);

  app.get("/users/me", { deps: { user: security(currentUser, ["me"]) }, response: User, tags: ["users"], operationId: "whoAmI" }, ({ user }) => user);
  app.get("/admin/stats", { deps: { admin: basic, key: apiKey }, tags: ["admin"] }, function adminStats() {
    return { ok: true };
  });
  app.get("/categories", { response: Category }, function categoryTree() {
    return { name: "root", children: [] };
  });
  app.put("/categories", { body: Category, response: Category }, function replaceCategories({ body }) {
    return body;
  });
  app.get("/files/{file_path:path}", {}, ({ path }) => ({ file: path.file_path }));
  app.get("/ark/{code}", { path: { code: type("string") }, query: { n: type("number.integer") }, response: type({ code: "string", n: "number" }) }, function arkLookup({ path, query }) {
    return { code: path.code, n: query.n };
  });
  app.post("/feedback", { form: { message: z.string().min(1), rating: z.int().min(1).max(5).optional() }, status: 202 }, function sendFeedback() {
    return { accepted: true };
  });
  app.get("/hidden", { includeInSchema: false }, function hidden() {
    return "not documented";
  });
  const internal = new Router({ prefix: "/internal", includeInSchema: false });
  internal.get("/health", {}, function health() {
    return { ok: true };
  });
  app.include(internal);
  return app;
}
