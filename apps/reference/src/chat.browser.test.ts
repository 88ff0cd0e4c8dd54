/**
 * Two people chat in headless Chromium: two browser contexts (separate cookie jars and storage,
 * as two browsers) log in on the chat page, join the same room and exchange messages over the
 * WebSocket. A screenshot of each goes to test-artifacts/ (gitignored).
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveForTest, type LiveServer } from "velox/testing";
import { createApp } from "./app.ts";
import type { Services } from "./services.ts";
import { testSettings } from "./testing/app-harness.ts";
import { chromiumAvailable, launchChromium } from "../../../packages/velox/test/browser/chromium.ts";

const ARTIFACTS = fileURLToPath(new URL("../../../test-artifacts", import.meta.url));
const available = chromiumAvailable("the chat browser test");

describe.skipIf(!available)("the chat page in two browsers", () => {
  const dir = mkdtempSync(join(tmpdir(), "velox-ref-chat-browser-"));
  let live: LiveServer;
  let browser: Browser;
  beforeAll(async () => {
    const app = createApp({ settings: testSettings({ DATABASE_URL: `sqlite:${join(dir, "app.db")}` }), logger: false });
    live = await serveForTest(app);
    const services = app.state.services as Services;
    for (const name of ["alice", "bob"]) {
      await services.users.create({ username: name, email: `${name}@example.com`, hashedPassword: await services.passwords.hash(`${name} password 123`), scopes: ["read", "write"] });
    }
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await live?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function join_(name: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 800, height: 640 } });
    const page = await context.newPage();
    await page.goto(`${live.url}/chat/`);
    await page.fill("#username", name);
    await page.fill("#password", `${name} password 123`);
    await page.fill("#room", "lobby");
    await page.click("#login button");
    await page.locator("#status", { hasText: "connected" }).waitFor();
    expect(await page.locator("#login").isVisible()).toBe(false);
    return page;
  }

  it("logs in, joins the same room and exchanges messages both ways", async () => {
    const alice = await join_("alice");
    const bob = await join_("bob");
    await alice.locator("#messages li.event", { hasText: "bob joined" }).waitFor();
    await expect.poll(() => alice.locator("#users-count").textContent()).toBe("2");

    await alice.fill("#content", "Hello Bob!");
    await alice.click("#send button");
    await bob.locator("#messages li.message", { hasText: "alice: Hello Bob!" }).waitFor();

    await bob.fill("#content", "Hi Alice");
    await bob.press("#content", "Enter");
    await alice.locator("#messages li.message", { hasText: "bob: Hi Alice" }).waitFor();
    expect(await alice.locator("#messages li.message").allTextContents()).toEqual([
      expect.stringContaining("alice: Hello Bob!"),
      expect.stringContaining("bob: Hi Alice"),
    ]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await alice.screenshot({ path: join(ARTIFACTS, "chat-alice.png") });
    await bob.screenshot({ path: join(ARTIFACTS, "chat-bob.png") });

    await bob.context().close();
    await alice.locator("#messages li.event", { hasText: "bob left" }).waitFor();
    await expect.poll(() => alice.locator("#users-count").textContent()).toBe("1");
    await alice.context().close();
  }, 60_000);
});
