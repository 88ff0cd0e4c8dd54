import { afterAll, beforeAll, expect, it } from "vitest";
import { createServices, type Services } from "../services.ts";
import { testSettings } from "../testing/app-harness.ts";
import { describeEachDatabase } from "../testing/databases.ts";
import { seedDemo } from "./seed.ts";

describeEachDatabase("seedDemo", (t) => {
  let services: Services;
  beforeAll(async () => {
    services = await createServices(testSettings(), { database: { db: t.db, dialect: t.dialect, close: () => Promise.resolve() } });
  });
  afterAll(() => services.close());

  it("creates a user with items, then only tops them up", async () => {
    const first = await seedDemo(services, { username: "demo", password: "demo-password", items: 12 });
    expect(first.created).toBe(12);
    const page = await services.items.list({ ownerId: first.userId, sort: "id", order: "asc" });
    expect(page.total).toBe(12);
    expect(first.firstItemId).toBe(page.items[0]!.id);
    expect((await services.items.popular(1))[0]!.views).toBe(4);
    const again = await seedDemo(services, { username: "demo", password: "other", items: 15 });
    expect(again).toEqual({ userId: first.userId, created: 3, firstItemId: first.firstItemId });
    const login = await services.users.getCredentials("demo");
    expect(await services.passwords.verify(login!.hashedPassword, "demo-password")).toBe(true);
  });
});
