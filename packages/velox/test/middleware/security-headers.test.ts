/**
 * The default security headers on every response, and Swagger UI and ReDoc still working under
 * the default Content-Security-Policy in Chromium (a CSP violation is reported by the browser).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTMLResponse, Velox } from "../../src/index.ts";
import { securityHeaders } from "../../src/middleware/security-headers.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { createRichApp } from "../openapi/rich-app.ts";
import { send } from "./http-get.ts";
import { install } from "./install.ts";
import { chromiumAvailable, launchChromium } from "../browser/chromium.ts";

const available = chromiumAvailable("the security-headers browser test");

describe("securityHeaders over a real socket", () => {
  let live: LiveServer;
  beforeAll(async () => {
    const app = new Velox({ logger: false });
    app.get("/page", {}, () => new HTMLResponse("<p>hi</p>", { headers: { "x-frame-options": "DENY" } }));
    live = await serveForTest(install(app, securityHeaders()));
  });
  afterAll(() => live.close());

  it("sends the set on successes and 404s, keeping the route's own value", async () => {
    const page = await send(`${live.url}/page`);
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.headers["content-security-policy"]).toContain("object-src 'none'");
    const missing = await send(`${live.url}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(missing.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  });
});

describe.skipIf(!available)("the docs pages under the default CSP in Chromium", () => {
  let live: LiveServer;
  let browser: Browser;
  beforeAll(async () => {
    live = await serveForTest(install(createRichApp({ openapi: { servers: [] } }), securityHeaders()));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it.each([["/docs", ".opblock"], ["/redoc", "h1"]])("%s renders with no CSP violation", async (path, selector) => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (message) => {
      // ReDoc's "powered by" logo comes from its CDN; blocking it is the CSP doing its job offline.
      if (/Content Security Policy|Refused to/i.test(message.text()) && !message.text().includes("https://cdn.redoc.ly/")) violations.push(message.text());
    });
    const response = await page.goto(`${live.url}${path}`);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'self'");
    await page.locator(selector).first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(300);
    expect(violations.join("\n")).toBe("");
    await page.close();
  });
});
