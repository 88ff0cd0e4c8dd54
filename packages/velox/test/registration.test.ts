import { describe, expect, it } from "vitest";
import { z } from "zod";
import { depends, Router, Velox, VeloxError } from "../src/index.ts";

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    if (err instanceof VeloxError) return `${err.code}: ${err.message.replace(/^\[\w+\] /, "")}`;
    throw err;
  }
  return undefined;
};

describe("misuse fails at registration with a stable code naming the route", () => {
  it("refuses duplicate routes, whatever the parameter names", () => {
    const app = new Velox();
    app.get("/items/{id}", {}, () => 1);
    expect(code(() => app.get("/items/{item_id}", {}, () => 1))).toMatch(/^VX_DUPLICATE_ROUTE: .*GET \/items\/\{item_id\}/);
    const router = new Router({ prefix: "/items" });
    router.get("/{id}", {}, () => 1);
    expect(code(() => app.include(router))).toMatch(/^VX_DUPLICATE_ROUTE/);
    expect(code(() => app.post("/items/{id}", {}, () => 1))).toBeUndefined();
  });

  it("refuses unknown path parameters and malformed paths", () => {
    const app = new Velox();
    expect(code(() => app.get("/items/{id}", { path: { item_id: z.int() } }, () => 1))).toMatch(/^VX_UNKNOWN_PATH_PARAM: .*GET \/items\/\{id\}.*item_id/);
    expect(code(() => app.get("items", {}, () => 1))).toMatch(/^VX_INVALID_PATH/);
    expect(code(() => app.get("/a/{rest:path}/b", {}, () => 1))).toMatch(/^VX_INVALID_PATH/);
    expect(code(() => app.get("/a/{1x}", {}, () => 1))).toMatch(/^VX_INVALID_PATH/);
    expect(code(() => app.get("/a/{x", {}, () => 1))).toMatch(/^VX_INVALID_PATH/);
    expect(code(() => new Router({ prefix: "/trailing/" }))).toMatch(/^VX_INVALID_PATH/);
  });

  it("refuses a body on GET, JSON and form together, and unknown options", () => {
    const app = new Velox();
    expect(code(() => app.get("/x", { body: z.object({}) }, () => 1))).toMatch(/^VX_BODY_NOT_ALLOWED: GET \/x/);
    expect(code(() => app.post("/x", { body: z.object({}), form: { a: z.string() } }, () => 1))).toMatch(/^VX_BODY_CONFLICT/);
    expect(code(() => (app.post as (p: string, c: object, h: () => unknown) => unknown)("/y", { respones: {} }, () => 1))).toMatch(/^VX_UNKNOWN_OPTION: POST \/y: unknown route option "respones"/);
    const withBody = depends({ body: z.object({ a: z.int() }) }, ({ body }) => body);
    app.get("/z", { deps: { withBody } }, () => 1);
    expect(code(() => app.compiledPlans)).toMatch(/^VX_BODY_NOT_ALLOWED: GET \/z/);
  });

  it("refuses parameters that are not schemas", () => {
    const app = new Velox();
    app.get("/x", { query: { q: "string" as never } }, () => 1);
    expect(code(() => app.compiledPlans)).toMatch(/^VX_NOT_A_SCHEMA: GET \/x: query\.q/);
  });
});
