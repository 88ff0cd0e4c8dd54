// Welcome and password-reset mail through the durable mail jobs, to a real SMTP server, on SQLite
// and PostgreSQL (pg-boss; the welcome job is enqueued in the user's own transaction there).
import { afterAll, expect, it } from "vitest";
import { jobsOf, type JobEvent } from "velox/jobs";
import { describeEachApp, type TestApp } from "../testing/app-harness.ts";
import { startSmtpSink } from "../testing/smtp-sink.ts";

const sink = await startSmtpSink();
afterAll(() => sink.close());

const tokenIn = (text: string): string => /token=([A-Za-z0-9_-]{43})/.exec(text)![1]!;

/** Resolves when the app's worker has finished `count` attempts of `job` (from now on). */
function finished(t: TestApp, job: string, count = 1): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const off = jobsOf(t.app)!.on((e: JobEvent) => {
      if (e.name === job && (e.type === "completed" || e.type === "failed") && ++seen === count) {
        off();
        resolve();
      }
    });
  });
}

describeEachApp(
  "mail through durable jobs",
  (t) => {
    const register = (username: string) => t.client.post("/auth/register", { json: { username, email: `${username}@example.com`, password: "correct horse battery" } });

    it("sends a welcome e-mail after registration", async () => {
      expect((await register(`wel${t.dialect}`)).status).toBe(201);
      const mail = await sink.waitFor((m) => m.to.includes(`wel${t.dialect}@example.com`));
      expect(mail.subject).toBe("Welcome to the Velox reference app");
      expect(mail.text).toContain(`Hello wel${t.dialect}`);
    });

    it("mails a single-use reset link that changes the password and ends the sessions", async () => {
      const alice = await t.login(`alice${t.dialect}`);
      const email = `alice${t.dialect}@example.com`;
      const res = await t.client.post("/auth/password-reset", { json: { email: email.toUpperCase() } });
      expect(res.status).toBe(202);
      const mail = await sink.waitFor((m) => m.to.includes(email) && m.subject === "Reset your password");
      const token = tokenIn(mail.text);
      // The token is stored hashed only.
      const rows = await t.services.database.db.selectFrom("password_reset_tokens").selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(token);

      const confirm = (new_password: string, tok = token) => t.client.post("/auth/password-reset/confirm", { json: { token: tok, new_password } });
      expect((await confirm("a brand new password")).json()).toEqual({ detail: "Password changed; log in again" });
      expect((await confirm("yet another password")).status).toBe(400);
      expect((await t.token(alice.user.username, alice.password)).status).toBe(401);
      expect((await t.token(alice.user.username, "a brand new password")).status).toBe(200);
      // The refresh token issued before the reset is revoked.
      expect((await t.client.post("/auth/refresh", { json: { refresh_token: alice.refresh } })).status).toBe(401);
    });

    it("answers an unknown address exactly like a known one, and mails nothing", async () => {
      await t.login(`bob${t.dialect}`);
      const done = finished(t, "mail.password-reset", 2);
      const unknown = await t.client.post("/auth/password-reset", { json: { email: `nobody${t.dialect}@example.com` } });
      const known = await t.client.post("/auth/password-reset", { json: { email: `bob${t.dialect}@example.com` } });
      expect(unknown.status).toBe(known.status);
      expect(unknown.text).toBe(known.text);
      await done;
      expect(sink.messages.some((m) => m.to.includes(`nobody${t.dialect}@example.com`))).toBe(false);
      expect(sink.messages.some((m) => m.to.includes(`bob${t.dialect}@example.com`) && m.subject === "Reset your password")).toBe(true);
    });

    it("refuses bad tokens and bad input", async () => {
      const confirm = (body: unknown) => t.client.post("/auth/password-reset/confirm", { json: body });
      expect((await confirm({ token: "A".repeat(43), new_password: "long enough pw" })).json()).toEqual({ detail: "Invalid or expired reset token" });
      expect((await confirm({ token: "x", new_password: "long enough pw" })).status).toBe(400);
      expect((await confirm({ token: "A".repeat(43), new_password: "short" })).status).toBe(422);
      expect((await t.client.post("/auth/password-reset", { json: { email: "not an address" } })).status).toBe(422);
      expect((await t.client.post("/auth/password-reset", { json: { email: "a@example.com", extra: 1 } })).status).toBe(422);
    });

    it("sends one reset mail per address per minute however often it is asked", async () => {
      await t.login(`carol${t.dialect}`);
      const email = `carol${t.dialect}@example.com`;
      const done = finished(t, "mail.password-reset", 1);
      for (let i = 0; i < 5; i++) expect((await t.client.post("/auth/password-reset", { json: { email } })).status).toBe(202);
      await done;
      await new Promise((r) => setTimeout(r, 300));
      // Allow for the minute boundary falling inside the loop: at most two jobs.
      expect(sink.messages.filter((m) => m.to.includes(email)).length).toBeLessThanOrEqual(2);
    });
  },
  { SMTP_URL: sink.url },
);
