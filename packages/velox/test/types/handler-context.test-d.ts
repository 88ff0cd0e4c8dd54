import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import * as v from "valibot";
import { type } from "arktype";
import { depends, Router, security, Velox, JSONResponse, type BackgroundTasks } from "../../src/index.ts";

const Item = z.object({ id: z.int(), name: z.string(), price: z.number() });

describe("handler context types", () => {
  it("infers path, query, headers, cookies and body from Zod schemas", () => {
    const app = new Velox();
    app.post(
      "/items/{id}",
      {
        path: { id: z.int() },
        query: { q: z.string().optional(), tags: z.array(z.string()) },
        headers: { x_token: z.string() },
        cookies: { session: z.string().optional() },
        body: Item.omit({ id: true }),
        response: Item,
      },
      (ctx) => {
        expectTypeOf(ctx.path).toEqualTypeOf<{ id: number }>();
        expectTypeOf(ctx.query).toEqualTypeOf<{ tags: string[]; q?: string | undefined }>();
        expectTypeOf(ctx.headers).toEqualTypeOf<{ x_token: string }>();
        expectTypeOf(ctx.cookies).toEqualTypeOf<{ session?: string | undefined }>();
        expectTypeOf(ctx.body).toEqualTypeOf<{ name: string; price: number }>();
        expectTypeOf(ctx.background).toEqualTypeOf<BackgroundTasks>();
        expectTypeOf(ctx.requestId).toBeString();
        return { id: ctx.path.id, ...ctx.body };
      },
    );
  });

  it("reads path params from the template when no schemas are given", () => {
    new Velox().get("/files/{owner}/{file_path:path}", {}, ({ path, body }) => {
      expectTypeOf(path).toEqualTypeOf<{ owner: string; file_path: string }>();
      expectTypeOf(body).toBeUndefined();
      return path.file_path;
    });
  });

  it("accepts a query model as one object schema", () => {
    const Filters = z.object({ limit: z.int().default(10), order: z.enum(["asc", "desc"]) });
    new Velox().get("/list", { query: Filters }, ({ query }) => {
      expectTypeOf(query).toEqualTypeOf<{ limit: number; order: "asc" | "desc" }>();
      return [];
    });
  });

  it("checks the handler's return value against the response model", () => {
    const app = new Velox();
    app.get("/ok", { response: Item }, () => ({ id: 1, name: "a", price: 2 }));
    app.get("/response", { response: Item }, () => new JSONResponse({ anything: true }));
    // @ts-expect-error price is missing
    app.get("/bad", { response: Item }, () => ({ id: 1, name: "a" }));
  });

  it("works with Valibot and ArkType schemas", () => {
    const app = new Velox();
    app.get("/v/{id}", { path: { id: v.number() }, query: { q: v.optional(v.string()) } }, ({ path, query }) => {
      expectTypeOf(path.id).toBeNumber();
      expectTypeOf(query).toEqualTypeOf<{ q?: string | undefined }>();
      return null;
    });
    app.post("/a", { body: type({ name: "string", "age?": "number" }) }, ({ body }) => {
      expectTypeOf(body).toEqualTypeOf<{ name: string; age?: number }>();
      return null;
    });
  });

  it("adds every dependency's resolved type to the context", () => {
    const getDb = depends(async function* () {
      yield { query: (sql: string) => [sql] };
    });
    const settings = depends(() => ({ debug: true as boolean }));
    const pool = depends({ scope: "app" }, async () => ({ size: 10 }));
    const currentUser = depends({ deps: { db: getDb }, headers: { authorization: z.string() } }, async ({ db, headers, securityScopes }) => {
      expectTypeOf(db.query).toEqualTypeOf<(sql: string) => string[]>();
      expectTypeOf(headers.authorization).toBeString();
      expectTypeOf(securityScopes.scopes).toEqualTypeOf<readonly string[]>();
      return { id: 1, name: "ada" };
    });
    new Velox().get("/me", { deps: { user: security(currentUser, ["me"]), settings, db: getDb, pool } }, ({ user, settings, db, pool }) => {
      expectTypeOf(user).toEqualTypeOf<{ id: number; name: string }>();
      expectTypeOf(settings).toEqualTypeOf<{ debug: boolean }>();
      expectTypeOf(db).toEqualTypeOf<{ query: (sql: string) => string[] }>();
      expectTypeOf(pool).toEqualTypeOf<{ size: number }>();
      return user;
    });
  });

  it("types routers and handlers without a config", () => {
    const router = new Router({ prefix: "/r" });
    const same = router.get("/ping", () => "pong");
    expectTypeOf(same).toEqualTypeOf<Router>();
    const app = new Velox();
    expectTypeOf(app.include(router)).toEqualTypeOf<Velox>();
  });
});
