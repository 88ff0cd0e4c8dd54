import { afterAll, beforeAll, expect, it } from "vitest";
import { createServices, type Services } from "../services.ts";
import { testSettings } from "../testing/app-harness.ts";
import { describeEachDatabase } from "../testing/databases.ts";
import { ensureSuperuser } from "./superuser.ts";

describeEachDatabase("ensureSuperuser", (t) => {
  const settings = testSettings({ FIRST_SUPERUSER: "root", FIRST_SUPERUSER_EMAIL: "root@example.com", FIRST_SUPERUSER_PASSWORD: "root-password" });
  let services: Services;
  beforeAll(async () => {
    services = await createServices(settings, { database: { db: t.db, dialect: t.dialect, close: () => Promise.resolve() } });
  });
  afterAll(() => services.close());

  it("creates the configured superuser with every scope, once", async () => {
    expect(await ensureSuperuser(services, settings.firstSuperuser)).toBe(true);
    const root = await services.users.getCredentials("root");
    expect(root?.user).toMatchObject({ isSuperuser: true, isActive: true, scopes: ["read", "write", "admin"], email: "root@example.com" });
    expect(await services.passwords.verify(root!.hashedPassword, "root-password")).toBe(true);
    expect(await ensureSuperuser(services, { ...settings.firstSuperuser!, password: "changed-password" })).toBe(false);
    expect(await services.passwords.verify((await services.users.getCredentials("root"))!.hashedPassword, "root-password")).toBe(true);
  });

  it("does nothing without the setting", async () => {
    expect(await ensureSuperuser(services, undefined)).toBe(false);
    expect((await services.users.list()).total).toBe(0);
  });
});
