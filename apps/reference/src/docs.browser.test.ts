/**
 * Headless Chromium logs in through Swagger UI's "Authorize" dialog (the OAuth2 password flow
 * against POST /auth/token) and calls GET /users/me with the token it got.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveForTest, type LiveServer } from "velox/testing";
import { createApp } from "./app.ts";
import type { Services } from "./services.ts";
import { testSettings } from "./testing/app-harness.ts";
import { chromiumAvailable, launchChromium } from "../../../packages/velox/test/browser/chromium.ts";

const available = chromiumAvailable("the reference app's docs browser test");

describe.skipIf(!available)("the reference app's Swagger UI", () => {
  const dir = mkdtempSync(join(tmpdir(), "velox-ref-docs-"));
  let live: LiveServer;
  let browser: Browser;
  beforeAll(async () => {
    const app = createApp({ settings: testSettings({ DATABASE_URL: `sqlite:${join(dir, "app.db")}` }), logger: false });
    live = await serveForTest(app);
    const services = app.state.services as Services;
    await services.users.create({ username: "alice", email: "alice@example.com", hashedPassword: await services.passwords.hash("correct horse battery"), scopes: ["read", "write"] });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await live?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("authorises with the password flow and the scopes ticked, then calls /users/me", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${live.url}/docs`);
    await page.locator(".opblock").first().waitFor();
    expect(await page.locator(".opblock-summary-path").allTextContents()).toEqual(
      expect.arrayContaining(["/auth/token", "/users/me", "/items", "/items/{item_id}", "/dashboard"]),
    );

    await page.locator("button.authorize").first().click();
    await page.fill("#oauth_username", "alice");
    await page.fill("#oauth_password", "correct horse battery");
    // Swagger UI hides the checkbox itself behind its label.
    await page.locator('label[for="read-password-checkbox-OAuth2PasswordBearer"]').click();
    const tokenRequest = page.waitForRequest((request) => request.url().endsWith("/auth/token"));
    const tokenResponse = page.waitForResponse((response) => response.url().endsWith("/auth/token"));
    await page.locator(".auth-container button.authorize").first().click();
    const form = new URLSearchParams((await tokenRequest).postData() ?? "");
    expect(Object.fromEntries(form)).toMatchObject({ grant_type: "password", username: "alice", scope: "read" });
    expect((await tokenResponse).status()).toBe(200);
    await page.locator('button[aria-label="Remove authorization"]').waitFor();
    await page.locator(".modal-ux .btn-done").first().click();

    const operation = page.locator("#operations-users-readMe");
    await operation.locator(".opblock-summary").click();
    await operation.getByRole("button", { name: "Try it out" }).click();
    const call = page.waitForRequest((request) => request.url() === `${live.url}/users/me`);
    await operation.getByRole("button", { name: "Execute" }).click();
    expect((await call).headers().authorization).toMatch(/^Bearer eyJ/);
    const status = operation.locator(".live-responses-table .response .response-col_status");
    await status.first().waitFor();
    expect((await status.first().textContent())?.trim()).toBe("200");
    expect(JSON.parse((await operation.locator(".live-responses-table .microlight").first().textContent())!)).toMatchObject({ username: "alice" });
    await page.close();
  }, 90_000);
});
