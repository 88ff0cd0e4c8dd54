/**
 * The Velox contract app, declared the FastAPI way with response models filtering the output.
 * `usersBehindDeps` puts the /users handler behind a two-level dependency chain to price DI.
 */
import { depends, Velox, type VeloxOptions } from "velox";
import { z } from "zod";
import { FIELDS_PATTERN, HELLO, ID_MAX, makeUser } from "./fixtures.ts";
import { ItemIn } from "./zod-schemas.ts";

const User = z.object({
  id: z.int(), username: z.string(), email: z.string(), firstName: z.string(), lastName: z.string(),
  age: z.int(), active: z.boolean(), role: z.string(), createdAt: z.string(), fields: z.string().nullable(),
});
const ItemOut = ItemIn.extend({ id: z.int() });

/** A repository class, as most apps have: no closures created per request. */
class UsersRepository {
  constructor(private readonly store: { makeUser: typeof makeUser }) {}
  get(id: number, fields?: string) {
    return this.store.makeUser(id, fields);
  }
}
const store = depends(() => ({ makeUser }));
const users = depends({ deps: { store } }, ({ store }) => new UsersRepository(store));

export function buildVeloxApp(options: { usersBehindDeps: boolean; noopHooks?: boolean; app?: VeloxOptions; plugins?: readonly ((app: Velox) => void)[] }): Velox {
  // Logging and the OpenAPI/docs routes off, as in the FastAPI server (openapi_url=None).
  const app = new Velox({ logger: false, openapi: { openapiUrl: null }, ...options.app });
  if (options.noopHooks) {
    // One do-nothing hook of each kind: the price of the hook machinery itself.
    app.addHook("onRequest", () => {});
    app.addHook("preHandler", () => {});
    app.addHook("onSend", () => {});
    app.addHook("onResponse", () => {});
    app.addHook("onError", () => {});
  }
  for (const plugin of options.plugins ?? []) app.register(plugin);
  let nextId = 1;

  app.get("/json", {}, () => HELLO);

  const userParams = {
    path: { id: z.int().min(1).max(ID_MAX) },
    query: { fields: z.string().min(1).max(64).regex(FIELDS_PATTERN).optional() },
    response: User,
  };
  if (options.usersBehindDeps) {
    app.get("/users/{id}", { ...userParams, deps: { users } }, ({ path, query, users }) => users.get(path.id, query.fields));
  } else {
    app.get("/users/{id}", userParams, ({ path, query }) => makeUser(path.id, query.fields));
}

  app.post("/items", { body: ItemIn, status: 201, response: ItemOut }, ({ body }) => ({ id: nextId++, ...body }));

  return app;
}
