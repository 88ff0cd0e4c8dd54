import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { HTTPException, RedirectResponse, Velox, VeloxResponse } from "../../src/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { assertServing, get } from "./raw-http.ts";

// Each handler echoes the query value `v` into a response header in a different way.
const INJECTIONS = [
  "ok%0d%0aSet-Cookie:%20injected=1",
  "ok%0aSet-Cookie:%20injected=1",
  "ok%0dSet-Cookie:%20injected=1",
  "ok%0d%0a%0d%0a<html>injected</html>",
  "ok%00Set-Cookie:%20injected=1",
];
const ROUTES = ["/state-header", "/response-header", "/node-header", "/exception-header", "/header-name"];

/** The header names of a raw response head, in order. */
const headerNames = (head: string) => head.split("\r\n").slice(1).map((line) => line.slice(0, line.indexOf(":")).toLowerCase());

describe("values echoed into response headers", () => {
  let live: LiveServer;

  beforeAll(async () => {
    const app = new Velox({ logger: false });
    const query = { v: z.string() };
    app.get("/health", {}, () => ({ ok: true }));
    app.get("/state-header", { query }, (ctx) => {
      ctx.response.setHeader("x-echo", ctx.query.v);
      return { ok: true };
    });
    app.get("/response-header", { query }, ({ query }) => new VeloxResponse("ok", { headers: { "x-echo": query.v } }));
    app.get("/node-header", { query }, ({ query, res }) => {
      res.setHeader("x-echo", query.v);
      return { ok: true };
    });
    app.get("/exception-header", { query }, ({ query }) => {
      throw new HTTPException(400, "bad", { "x-echo": query.v });
    });
    app.get("/cookie", { query }, (ctx) => {
      ctx.response.setCookie("session", ctx.query.v);
      return { ok: true };
    });
    app.get("/header-name", { query }, (ctx) => {
      ctx.response.setHeader(`x-${ctx.query.v}`, "1");
      return { ok: true };
    });
    app.get("/redirect", { query }, ({ query }) => new RedirectResponse(`/next?to=${query.v}`));
    live = await serveForTest(app);
  });
  afterAll(() => live.close());
  afterEach(() => assertServing(live.port));

  const cases = ROUTES.flatMap((route) => INJECTIONS.map((v) => [route, v] as const));

  it.each(cases)("%s?v=%s → 500, never a split response", async (route, v) => {
    const res = await get(live.port, `${route}?v=${v}`);
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ detail: "Internal Server Error" });
    expect(res.head).not.toMatch(/injected/i);
    expect(res.text()).not.toMatch(/injected/i);
  });

  it.each(INJECTIONS)("a redirect to a location carrying %s is percent-encoded, not split", async (v) => {
    const res = await get(live.port, `/redirect?v=${v}`);
    expect(res.status).toBe(307);
    const allowed = ["location", "date", "connection", "keep-alive", "transfer-encoding", "content-length"];
    expect(headerNames(res.head).filter((name) => !allowed.includes(name))).toEqual([]);
    expect(headerNames(res.head).filter((name) => name === "location")).toHaveLength(1);
    expect(res.headers.location).toMatch(/^\/next\?to=ok%(?:0D|0A|00)/);
  });

  it.each(INJECTIONS)("a cookie value carrying %s is percent-encoded into one Set-Cookie", async (v) => {
    const res = await get(live.port, `/cookie?v=${v}`);
    expect(res.status).toBe(200);
    expect(headerNames(res.head).filter((name) => name === "set-cookie")).toHaveLength(1);
    expect(headerNames(res.head)).not.toContain("injected");
    expect(res.headers["set-cookie"]).toMatch(/^session=ok%(?:0D|0A|00)[^\s;]*; Path=\/$/);
    expect(res.text()).toBe('{"ok":true}');
  });

  it("a clean value passes through", async () => {
    const res = await get(live.port, "/state-header?v=hello");
    expect(res.status).toBe(200);
    expect(res.headers["x-echo"]).toBe("hello");
  });
});
