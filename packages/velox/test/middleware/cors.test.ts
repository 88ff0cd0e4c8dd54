import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { cors } from "../../src/middleware/cors.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { send } from "./http-get.ts";
import { install } from "./install.ts";

const FRONT = "http://localhost:3000";

function buildApp(): Velox {
  const app = new Velox({ logger: false });
  app.get("/items/{id}", { path: { id: z.int() } }, ({ path }) => ({ id: path.id }));
  app.put("/items/{id}", { path: { id: z.int() }, body: z.object({ name: z.string() }) }, ({ path, body }) => ({ id: path.id, ...body }));
  app.get("/boom", {}, () => {
    throw new Error("boom");
  });
  return app;
}

describe("CORS over a real socket", () => {
  let live: LiveServer;
  let bare: LiveServer;
  beforeAll(async () => {
    live = await serveForTest(install(buildApp(), cors({ allowOrigins: [FRONT], allowMethods: ["GET", "PUT"], allowHeaders: ["x-token"], allowCredentials: true })));
    bare = await serveForTest(buildApp());
  });
  afterAll(async () => {
    await live.close();
    await bare.close();
  });

  const preflight = { origin: FRONT, "access-control-request-method": "PUT", "access-control-request-headers": "content-type, x-token" };

  it("answers the preflight of a path whose routes exist for other methods (405 without the middleware)", async () => {
    const without = await send(`${bare.url}/items/1`, { method: "OPTIONS", headers: preflight });
    expect(without.status).toBe(405);
    const res = await send(`${live.url}/items/1`, { method: "OPTIONS", headers: preflight });
    expect(res.status).toBe(204);
    expect(res.body.length).toBe(0);
    expect(res.headers["access-control-allow-origin"]).toBe(FRONT);
    expect(res.headers["access-control-allow-credentials"]).toBe("true");
    expect(res.headers["access-control-allow-methods"]).toBe("GET, PUT");
    expect(res.headers["access-control-allow-headers"]).toContain("x-token");
    expect(res.headers["access-control-max-age"]).toBe("600");
    expect(res.headers.vary).toContain("Origin");
  });

  it("refuses a preflight from another origin with 400 and no CORS headers", async () => {
    const res = await send(`${live.url}/items/1`, { method: "OPTIONS", headers: { ...preflight, origin: "http://evil.test" } });
    expect(res.status).toBe(400);
    expect(res.body.toString()).toBe("Disallowed CORS origin");
    expect(Object.keys(res.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
  });

  it("a plain OPTIONS (no Access-Control-Request-Method) is not a preflight", async () => {
    const res = await send(`${live.url}/items/1`, { method: "OPTIONS", headers: { origin: FRONT } });
    expect(res.status).toBe(405);
    expect(res.headers["access-control-allow-origin"]).toBe(FRONT);
  });

  it("adds the headers to successes, 404s, 422s and 500s of an allowed origin", async () => {
    for (const [path, status] of [["/items/1", 200], ["/nope", 404], ["/items/x", 422], ["/boom", 500]] as const) {
      const res = await send(`${live.url}${path}`, { headers: { origin: FRONT } });
      expect(res.status, path).toBe(status);
      expect(res.headers["access-control-allow-origin"], path).toBe(FRONT);
      expect(res.headers.vary, path).toBe("Origin");
    }
  });

  it("gives a disallowed origin and a same-origin request no CORS headers, but Vary: Origin", async () => {
    for (const headers of [{ origin: "http://evil.test" }, {}] as Record<string, string>[]) {
      const res = await send(`${live.url}/items/1`, { headers });
      expect(res.headers["access-control-allow-origin"]).toBeUndefined();
      expect(res.headers.vary).toBe("Origin");
    }
  });
});
