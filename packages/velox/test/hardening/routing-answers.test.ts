import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { assertServing, get, httpRequest, rawRequest, type RawResponse } from "./raw-http.ts";

const head = (port: number, path: string) => rawRequest(port, httpRequest("HEAD", path), { head: true });
const withoutDate = (res: RawResponse) => Object.fromEntries(Object.entries(res.headers).filter(([name]) => name !== "date"));

describe("404, 405, trailing-slash redirects and HEAD over a real socket", () => {
  let live: LiveServer;
  let getCalls = 0;

  beforeAll(async () => {
    const app = new Velox({ logger: false });
    app.get("/health", {}, () => ({ ok: true }));
    app.get("/items", { query: { q: z.string().optional() } }, (ctx) => {
      getCalls++;
      ctx.response.setHeader("x-handler", "items");
      return [{ id: 1, q: ctx.query.q ?? null }];
    });
    app.post("/items", { body: z.object({ name: z.string() }), status: 201 }, ({ body }) => body);
    app.delete("/items/{id}", { path: { id: z.int() } }, () => ({ deleted: true }));
    app.get("/dir/", {}, () => ({ dir: true }));
    app.get("/users/{name}", { path: { name: z.string() } }, ({ path }) => ({ name: path.name }));
    live = await serveForTest(app);
  });
  afterAll(() => live.close());
  afterEach(() => assertServing(live.port));

  it("an unknown path → 404 with a JSON body", async () => {
    const res = await get(live.port, "/no/such/thing?x=1");
    expect(res.status).toBe(404);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.json()).toEqual({ detail: "Not Found" });
  });

  it("a known path with another method → 405 with Allow", async () => {
    const res = await rawRequest(live.port, httpRequest("PUT", "/items", { "Content-Type": "application/json" }, "{}"));
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("GET, HEAD, POST");
    expect(res.json()).toEqual({ detail: "Method Not Allowed" });
    const del = await get(live.port, "/items/5");
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe("DELETE");
  });

  it("a trailing-slash mismatch → 307 to the other form, keeping the query", async () => {
    const res = await get(live.port, "/items/?q=a%20b&x=%2F");
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe("/items?q=a%20b&x=%2F");
    const back = await get(live.port, "/dir?y=1");
    expect(back.status).toBe(307);
    expect(back.headers.location).toBe("/dir/?y=1");
  });

  it("a 307 keeps the method and body of a POST", async () => {
    const res = await rawRequest(live.port, httpRequest("POST", "/items/", { "Content-Type": "application/json" }, '{"name":"a"}'));
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe("/items");
  });

  it("keeps escapes in the query exactly as sent (no double encoding)", async () => {
    const res = await get(live.port, "/items/?q=a%26b%3Dc%23d%25e%2Bf&r=%E2%82%AC");
    expect(res.headers.location).toBe("/items?q=a%26b%3Dc%23d%25e%2Bf&r=%E2%82%AC");
  });

  describe("never redirects off-site", () => {
    let root: LiveServer;
    beforeAll(async () => {
      // A catch-all parameter at the root is what makes /<anything>/ redirectable.
      const app = new Velox({ logger: false });
      app.get("/{name}", { path: { name: z.string() } }, ({ path }) => ({ name: path.name }));
      root = await serveForTest(app);
    });
    afterAll(() => root.close());

    it.each([
      ["//evil.example/", 404, undefined],
      ["/\\evil.example/", 307, "/%5Cevil.example"],
      ["/%5Cevil.example/", 307, "/%5Cevil.example"],
      ["/%2F%2Fevil.example/", 307, "/%2F%2Fevil.example"],
      ['/a"<b>/', 307, "/a%22%3Cb%3E"],
    ])("%s → %i", async (path, status, location) => {
      const res = await get(root.port, path);
      expect(res.status).toBe(status);
      expect(res.headers.location).toBe(location);
    });
  });

  it("HEAD runs the GET route and sends its status and headers without a body", async () => {
    getCalls = 0;
    const got = await get(live.port, "/items?q=z");
    const res = await head(live.port, "/items?q=z");
    expect(getCalls).toBe(2);
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
    expect(res.headers["content-type"]).toBe(got.headers["content-type"]);
    expect(res.headers["x-handler"]).toBe("items");
  });

  it("HEAD of an unknown path → 404 without a body", async () => {
    const res = await head(live.port, "/no/such/thing");
    expect(res.status).toBe(404);
    expect(res.body.length).toBe(0);
  });

  it("HEAD and GET carry the same headers, Content-Length included", async () => {
    const got = await get(live.port, "/items");
    const res = await head(live.port, "/items");
    expect(got.headers["content-length"]).toBe(String(got.body.length));
    expect(withoutDate(res)).toEqual(withoutDate(got));
  });
});
