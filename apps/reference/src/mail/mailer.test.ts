import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpSink } from "../testing/smtp-sink.ts";
import { createMailer } from "./mailer.ts";
import { passwordResetMessage } from "./messages.ts";

const lines: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
const logger = {
  info: (obj: object, msg?: string) => void lines.push({ level: "info", obj: obj as Record<string, unknown>, msg }),
  warn: (obj: object, msg?: string) => void lines.push({ level: "warn", obj: obj as Record<string, unknown>, msg }),
  error: (obj: object, msg?: string) => void lines.push({ level: "error", obj: obj as Record<string, unknown>, msg }),
};

describe("createMailer", () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  const token = "T".repeat(43);
  const reset = passwordResetMessage({ to: "ada@example.com", username: "ada", token, appUrl: "http://127.0.0.1:8000", ttlMinutes: 30 });

  it("sends over SMTP to a real server", async () => {
    const mailer = await createMailer({ smtpUrl: sink.url, from: "app@example.com", nodeEnv: "production", logger });
    await mailer.send(reset);
    mailer.close();
    const mail = await sink.waitFor((m) => m.to.includes("ada@example.com"));
    expect(mail).toMatchObject({ from: "app@example.com", subject: "Reset your password" });
    expect(mail.text).toContain(`reset-password?token=${token}`);
  });

  it("rejects when the server refuses, so the job retries", async () => {
    sink.refuseWith = 451;
    const mailer = await createMailer({ smtpUrl: sink.url, from: "app@example.com", nodeEnv: "production", logger });
    try {
      await expect(mailer.send(reset)).rejects.toThrow(/451/);
    } finally {
      sink.refuseWith = null;
      mailer.close();
    }
  });

  it("logs the whole message in development without SMTP, never the link in production", async () => {
    lines.length = 0;
    await (await createMailer({ smtpUrl: undefined, from: "app@example.com", nodeEnv: "development", logger })).send(reset);
    expect(JSON.stringify(lines)).toContain(token);
    lines.length = 0;
    await (await createMailer({ smtpUrl: undefined, from: "app@example.com", nodeEnv: "production", logger })).send(reset);
    expect(JSON.stringify(lines)).not.toContain(token);
    expect(lines.some((l) => l.level === "warn" && l.msg === "e-mail not sent: SMTP_URL is not set")).toBe(true);
  });
});
