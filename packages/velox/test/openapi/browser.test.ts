/**
 * Headless Chromium opens Swagger UI, authorises with the OAuth2 password flow and executes a
 * call; ReDoc renders the same document. Screenshots go to test-artifacts/ (gitignored).
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { createRichApp } from "./rich-app.ts";
import { ARTIFACTS } from "./tools.ts";
import { chromiumAvailable, launchChromium } from "../browser/chromium.ts";

const available = chromiumAvailable("the docs browser test");

describe.skipIf(!available)("interactive docs in a browser", () => {
  let live: LiveServer;
  let browser: Browser;
  beforeAll(async () => {
    // No servers: "Try it out" then calls the page's own origin, the test server.
    live = await serveForTest(createRichApp({ openapi: { servers: [] } }));
    browser = await launchChromium();
    await mkdir(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it("Swagger UI lists the operations, authorises with the password flow and executes a call", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const external: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(live.url)) external.push(request.url());
    });
    await page.goto(`${live.url}/docs`);
    await page.locator(".opblock").first().waitFor();
    const paths = await page.locator(".opblock-summary-path").allTextContents();
    expect(paths).toEqual(expect.arrayContaining(["/items", "/items/{item_id}", "/token", "/users/me"]));

    await page.locator("button.authorize").first().click();
    await page.fill("#oauth_username", "alice");
    await page.fill("#oauth_password", "secret");
    const token = page.waitForResponse((response) => response.url().endsWith("/token"));
    await page.locator(".auth-container button.authorize").first().click();
    expect((await token).status()).toBe(200);
    await page.locator('button[aria-label="Remove authorization"]').waitFor();
    await page.locator(".modal-ux .btn-done").first().click();

    const operation = page.locator("#operations-items-readItem");
    await operation.locator(".opblock-summary").click();
    await operation.getByRole("button", { name: "Try it out" }).click();
    await operation.locator('input[placeholder="item_id"]').fill("7");
    const call = page.waitForRequest((request) => request.url().startsWith(`${live.url}/items/7`));
    await operation.getByRole("button", { name: "Execute" }).click();
    expect((await call).headers().authorization).toBe("Bearer token-alice");
    const status = operation.locator(".live-responses-table .response .response-col_status");
    await status.first().waitFor();
    expect((await status.first().textContent())?.trim()).toBe("200");
    expect(JSON.parse((await operation.locator(".live-responses-table .microlight").first().textContent())!)).toEqual({ id: 7, name: "Hammer", price: 9.5, tags: [] });
    await operation.locator(".live-responses-table").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, "openapi-swagger-ui.png") });
    expect(external).toEqual([]);
    await page.close();
  }, 60_000);

  it("ReDoc renders the document from the local bundle", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${live.url}/redoc`);
    await page.locator("h2", { hasText: "List items" }).waitFor();
    expect(await page.locator("h1").first().textContent()).toContain("Rich");
    await page.screenshot({ path: join(ARTIFACTS, "openapi-redoc.png") });
    await page.close();
  }, 60_000);
});
