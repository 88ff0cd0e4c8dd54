import type { Logger } from "velox";

/** One plain-text e-mail. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Sends e-mail: over SMTP, or to the log when no SMTP server is configured. */
export interface Mailer {
  readonly kind: "smtp" | "log";
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** Options of {@link createMailer}. */
export interface MailerOptions {
  /** `smtp://user:pass@host:port` or `smtps://…`; unset: mail goes to the log. */
  smtpUrl: string | undefined;
  /** The From address. */
  from: string;
  nodeEnv: "development" | "test" | "production";
  logger: Logger;
}

/**
 * The app's mailer. With `SMTP_URL`, nodemailer over SMTP (timeouts so a stuck server fails the
 * attempt and the job retries). Without it, in development and tests, each message is logged in
 * full (links included) so a developer can click them; in production only the recipient and the
 * subject are logged — never a reset link — with a warning that nothing was sent.
 *
 * @example
 * ```ts
 * const mailer = await createMailer({ smtpUrl: process.env.SMTP_URL, from: "app@example.com", nodeEnv: "development", logger });
 * await mailer.send({ to: "ada@example.com", subject: "Hello", text: "…" });
 * ```
 */
export async function createMailer(options: MailerOptions): Promise<Mailer> {
  const { logger, from } = options;
  if (options.smtpUrl === undefined) {
    const full = options.nodeEnv !== "production";
    if (!full) logger.warn({}, "SMTP_URL is not set: e-mail is NOT sent, only logged (recipient and subject)");
    return {
      kind: "log",
      send: async (message) => {
        if (full) logger.info({ mail: { from, ...message } }, "e-mail (no SMTP_URL: logged, not sent)");
        else logger.warn({ mail: { to: message.to, subject: message.subject } }, "e-mail not sent: SMTP_URL is not set");
      },
      close: () => {},
    };
  }
  const { createTransport } = await import("nodemailer");
  const transport = createTransport({ url: options.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  return {
    kind: "smtp",
    send: async (message) => {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
    close: () => transport.close(),
  };
}
