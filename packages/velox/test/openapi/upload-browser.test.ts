/**
 * Headless Chromium uploads a file through Swagger UI's "Try it out": the file field of a
 * `file()` form is a file picker, and the request arrives as multipart/form-data.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { file, Velox } from "../../src/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { ARTIFACTS } from "./tools.ts";
import { chromiumAvailable, launchChromium } from "../browser/chromium.ts";

const available = chromiumAvailable("the upload browser test");

describe.skipIf(!available)("file upload from Swagger UI", () => {
  let live: LiveServer;
  let browser: Browser;
  const received: { contentType?: string } = {};

  beforeAll(async () => {
    const app = new Velox({ logger: false, title: "Uploads", openapi: { servers: [] } });
    app.post("/documents", {
      form: { title: z.string().describe("Shown in the list"), document: file({ description: "Any file" }) },
      operationId: "uploadDocument",
      tags: ["documents"],
    }, async ({ form, req }) => {
      received.contentType = req.headers["content-type"];
      return { title: form.title, filename: form.document.filename, size: form.document.size, text: await form.document.text() };
    });
    live = await serveForTest(app);
    browser = await launchChromium();
    await mkdir(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it("shows a file picker for the file field and sends the chosen file as multipart/form-data", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${live.url}/docs`);
    const operation = page.locator("#operations-documents-uploadDocument");
    await operation.locator(".opblock-summary").click();
    await operation.getByRole("button", { name: "Try it out" }).click();
    const picker = operation.locator('input[type="file"]');
    await expect.poll(() => picker.count()).toBe(1);
    await picker.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello from the browser") });
    await operation.locator('input[placeholder="title"], input[type="text"]').first().fill("My notes");
    const call = page.waitForResponse((response) => response.url().endsWith("/documents"));
    await operation.getByRole("button", { name: "Execute" }).click();
    const response = await call;
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ title: "My notes", filename: "notes.txt", size: 22, text: "hello from the browser" });
    expect(received.contentType).toMatch(/^multipart\/form-data; boundary=/);
    await operation.locator(".live-responses-table").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, "openapi-swagger-ui-upload.png") });
    await page.close();
  }, 60_000);
});
