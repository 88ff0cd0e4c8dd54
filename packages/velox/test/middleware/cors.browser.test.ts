/**
 * Chromium's own CORS checks against the middleware: a page on one origin calls the API on
 * another with a JSON body, a custom header and credentials — the preflight, its cache and the
 * refusals are the browser's, not a test's idea of them.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { cors } from "../../src/middleware/cors.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { install } from "./install.ts";
import { chromiumAvailable, launchChromium } from "../browser/chromium.ts";

const available = chromiumAvailable("the CORS browser test");

async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>front end</title>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.skipIf(!available)("CORS in a browser", () => {
  let api: LiveServer;
  let allowed: { server: Server; origin: string };
  let other: { server: Server; origin: string };
  let browser: Browser;
  const preflights: string[] = [];

  beforeAll(async () => {
    allowed = await pageServer();
    other = await pageServer();
    const app = new Velox({ logger: false });
    app.addHook("onRequest", (ctx) => {
      if (ctx.method === "OPTIONS") preflights.push(`${ctx.req.headers["access-control-request-method"]} ${ctx.url}`);
    });
    install(app, cors({ allowOrigins: [allowed.origin], allowMethods: ["GET", "PUT"], allowHeaders: ["x-token"], allowCredentials: true, exposeHeaders: ["x-version"], maxAge: 60 }));
    app.get("/items/{id}", { path: { id: z.int() } }, ({ path, response }) => {
      response.setHeader("x-version", "7").setHeader("x-hidden", "1");
      return { id: path.id };
    });
    app.put("/items/{id}", { path: { id: z.int() }, body: z.object({ name: z.string() }), headers: { x_token: z.string() } }, ({ path, body, req }) => ({
      id: path.id,
      name: body.name,
      cookie: req.headers.cookie ?? null,
    }));
    app.delete("/items/{id}", { path: { id: z.int() } }, () => ({ deleted: true }));
    api = await serveForTest(app);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    allowed?.server.close();
    other?.server.close();
  });

  async function open(origin: string): Promise<Page> {
    const context = await browser.newContext();
    await context.addCookies([{ name: "session", value: "abc", url: api.url }]);
    const page = await context.newPage();
    await page.goto(origin);
    return page;
  }

  /** Runs fetch in the page; resolves to the outcome the page's script sees. */
  function call(page: Page, url: string, init: Record<string, unknown>): Promise<{ ok: boolean; status?: number; body?: unknown; exposed?: string | null; hidden?: string | null; error?: string }> {
    return page.evaluate(async ([u, i]) => {
      try {
        const res = await fetch(u, i as RequestInit);
        return { ok: true, status: res.status, body: await res.json(), exposed: res.headers.get("x-version"), hidden: res.headers.get("x-hidden") };
      } catch (err) {
        return { ok: false, error: String(err) };
      }
    }, [url, init] as const);
  }

  it("preflights a credentialed JSON PUT with a custom header, then sends it with the cookie; the preflight is cached", async () => {
    const page = await open(allowed.origin);
    preflights.length = 0;
    const init = { method: "PUT", credentials: "include", headers: { "content-type": "application/json", "x-token": "t" }, body: JSON.stringify({ name: "Widget" }) };
    const first = await call(page, `${api.url}/items/1`, init);
    expect(first).toMatchObject({ ok: true, status: 200, body: { id: 1, name: "Widget", cookie: "session=abc" } });
    expect(preflights).toEqual(["PUT /items/1"]);
    const second = await call(page, `${api.url}/items/1`, init);
    expect(second.ok).toBe(true);
    expect(preflights).toEqual(["PUT /items/1"]);
    await page.context().close();
  });

  it("lets the script read exposed headers only", async () => {
    const page = await open(allowed.origin);
    const res = await call(page, `${api.url}/items/2`, { credentials: "include" });
    expect(res).toMatchObject({ ok: true, status: 200, exposed: "7", hidden: null });
    await page.context().close();
  });

  it("blocks a method the policy does not allow, and every call from another origin", async () => {
    const page = await open(allowed.origin);
    const deleted = await call(page, `${api.url}/items/1`, { method: "DELETE", credentials: "include" });
    expect(deleted.ok).toBe(false);
    await page.context().close();
    const foreign = await open(other.origin);
    const read = await call(foreign, `${api.url}/items/1`, { credentials: "include" });
    expect(read.ok).toBe(false);
    const put = await call(foreign, `${api.url}/items/1`, { method: "PUT", headers: { "content-type": "application/json", "x-token": "t" }, body: "{}" });
    expect(put.ok).toBe(false);
    await foreign.context().close();
  });
});
