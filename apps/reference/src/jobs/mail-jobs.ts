import { defineJob, PermanentJobError, type JobContext } from "velox/jobs";
import { z } from "zod";
import type { MailMessage } from "../mail/mailer.ts";
import { passwordResetMessage, welcomeMessage } from "../mail/messages.ts";
import type { Services } from "../services.ts";

function servicesOf(ctx: JobContext): Services {
  const services = ctx.state.services as Services | undefined;
  // Thrown, so the attempt is retried once the app has started (never lost).
  if (services === undefined) throw new Error("the app's services are not started");
  return services;
}

/** Sends; an SMTP 5xx answer (no such mailbox, refused) will not change on retry: dead-letter at once. */
async function send(services: Services, message: MailMessage): Promise<void> {
  try {
    await services.mailer.send(message);
  } catch (error) {
    const code = (error as { responseCode?: unknown }).responseCode;
    if (typeof code === "number" && code >= 500 && code < 600) throw new PermanentJobError(`SMTP ${code}: ${(error as Error).message}`, { cause: error });
    throw error;
  }
}

/**
 * The welcome e-mail after registration. Enqueued with the key `welcome:<user id>` (on PostgreSQL
 * in the same transaction as the new user), so one registration sends one mail even when the
 * request is retried.
 *
 * @example
 * ```ts
 * await enqueue(welcomeMail, { userId: user.id }, { idempotencyKey: `welcome:${user.id}` });
 * ```
 */
export const welcomeMail = defineJob({
  name: "mail.welcome",
  payload: z.object({ userId: z.int().positive() }),
  retries: 8,
  backoff: { baseMs: 5_000, maxMs: 30 * 60_000 },
  timeoutMs: 30_000,
  concurrency: 4,
  handler: async ({ userId }, ctx) => {
    const services = servicesOf(ctx);
    const user = await services.users.getById(userId);
    if (user === undefined) return; // deleted since: nothing to send
    await send(services, welcomeMessage({ to: user.email, username: user.username, appUrl: services.settings.mail.publicUrl }));
  },
});

/**
 * The password-reset e-mail. The route enqueues it for every address it is given — known or not,
 * so both answer alike and in the same time — and this job looks the address up: for an active
 * user it issues a fresh single-use token (stored hashed, never in the job) and mails the link;
 * for anyone else it sends nothing.
 *
 * @example
 * ```ts
 * await enqueue(passwordResetMail, { email }, { idempotencyKey: `reset:${email}:${minute}` });
 * ```
 */
export const passwordResetMail = defineJob({
  name: "mail.password-reset",
  payload: z.object({ email: z.string().min(3).max(320) }),
  retries: 5,
  backoff: { baseMs: 5_000, maxMs: 10 * 60_000 },
  timeoutMs: 30_000,
  concurrency: 4,
  handler: async ({ email }, ctx) => {
    const services = servicesOf(ctx);
    const user = await services.passwordResets.findActiveUserByEmail(email);
    if (user === undefined) return;
    const ttl = services.settings.mail.resetTtlSeconds;
    // A re-run (at least once) issues a new token, which replaces the one of an earlier attempt.
    const token = await services.passwordResets.issue(user.id, ttl);
    await send(
      services,
      passwordResetMessage({ to: user.email, username: user.username, token, appUrl: services.settings.mail.publicUrl, ttlMinutes: Math.round(ttl / 60) }),
    );
  },
});

/** Every job of the reference app. */
export const APP_JOBS = [welcomeMail, passwordResetMail] as const;
