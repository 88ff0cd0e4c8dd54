import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createServices } from "./services.ts";
import { loadSettings } from "./settings.ts";

const dir = mkdtempSync(join(tmpdir(), "velox-services-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("createServices", () => {
  it("migrates at start and wires login, sessions and items end to end", async () => {
    const settings = loadSettings({ envFile: false, warn: () => undefined, env: { DATABASE_URL: `sqlite:${join(dir, "app.db")}` } });
    const services = await createServices(settings);
    try {
      const hashedPassword = await services.passwords.hash("pw-123456");
      const user = await services.users.create({ username: "a", email: "a@example.com", hashedPassword, scopes: ["read"] });
      const pair = await services.sessions.start(user);
      const next = await services.sessions.refresh(pair.refresh_token);
      expect(next.ok).toBe(true);
      await services.items.create(user.id, { title: "t", price: 1 });
      expect((await services.items.list({ ownerId: user.id })).total).toBe(1);
    } finally {
      await services.close();
    }
    // A second start finds the schema current and the data still there.
    const again = await createServices(settings);
    try {
      expect(await again.users.getByUsername("a")).toBeDefined();
    } finally {
      await again.close();
    }
  });
});
