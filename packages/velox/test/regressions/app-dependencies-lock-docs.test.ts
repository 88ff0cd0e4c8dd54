import { describe, expect, it } from "vitest";
import { z } from "zod";
import { HTTPException, Velox, depends } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

/** `Velox({ dependencies: [verifyToken] })` answered 422 on /openapi.json and /docs; FastAPI's docs carry no app dependencies. */
describe("app-level dependencies leave the docs routes alone", () => {
  const verifyToken = depends({ headers: { x_token: z.string() } }, ({ headers }) => {
    if (headers.x_token !== "secret") throw new HTTPException(400, "X-Token header invalid");
  });
  const app = new Velox({ logger: false, dependencies: [verifyToken] });
  app.get("/items", {}, () => [{ item: "Portal Gun" }]);
  const client = new TestClient(app);

  it("serves /openapi.json, /docs and /redoc without the dependency's header", async () => {
    expect((await client.get("/openapi.json")).status).toBe(200);
    expect((await client.get("/docs")).status).toBe(200);
    expect((await client.get("/redoc")).status).toBe(200);
  });

  it("still runs the dependency on the app's own routes", async () => {
    expect((await client.get("/items")).status).toBe(422);
    expect((await client.get("/items", { headers: { "x-token": "secret" } })).status).toBe(200);
  });

  it("documents the dependency's header on the app's routes", async () => {
    const doc = (await client.get("/openapi.json")).json();
    expect(doc.paths["/items"].get.parameters).toEqual([expect.objectContaining({ name: "x-token", in: "header", required: true })]);
  });
});
