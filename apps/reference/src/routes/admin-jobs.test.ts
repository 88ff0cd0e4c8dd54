// The dead-letter admin routes over the whole app: a mail the SMTP server refuses for good is
// listed, then retried once the server accepts it again.
import { afterAll, expect, it } from "vitest";
import { describeEachApp } from "../testing/app-harness.ts";
import { startSmtpSink } from "../testing/smtp-sink.ts";

const sink = await startSmtpSink();
afterAll(() => sink.close());

describeEachApp(
  "admin: dead-lettered jobs",
  (t) => {
    it("lists a mail refused with 550 and retries it on request", async () => {
      const admin = await t.login(`root${t.dialect}`, { superuser: true, requestScopes: ["admin"] });
      sink.refuseWith = 550;
      try {
        const email = `gone${t.dialect}@example.com`;
        expect((await t.client.post("/auth/register", { json: { username: `gone${t.dialect}`, email, password: "correct horse battery" } })).status).toBe(201);
        let failed: { id: string; name: string; attempts: number; error: { message: string } }[] = [];
        const deadline = Date.now() + 15_000;
        while (failed.length === 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
          failed = (await t.client.get("/admin/jobs/failed?name=mail.welcome", admin.auth)).json();
        }
        expect(failed).toHaveLength(1);
        expect(failed[0]).toMatchObject({ name: "mail.welcome", attempts: 1, error: { message: expect.stringContaining("SMTP 550") } });
        sink.refuseWith = null;
        expect((await t.client.post(`/admin/jobs/failed/${failed[0]!.id}/retry`, admin.auth)).status).toBe(202);
        await sink.waitFor((m) => m.to.includes(email));
        expect((await t.client.post(`/admin/jobs/failed/${failed[0]!.id}/retry`, admin.auth)).status).toBe(404);
      } finally {
        sink.refuseWith = null;
      }
    });

    it("is for admins only", async () => {
      const user = await t.login(`plain${t.dialect}`);
      expect((await t.client.get("/admin/jobs/failed", user.auth)).status).toBe(401);
      expect((await t.client.get("/admin/jobs/failed")).status).toBe(401);
    });
  },
  { SMTP_URL: sink.url },
);
