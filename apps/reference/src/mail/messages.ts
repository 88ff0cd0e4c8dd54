import type { MailMessage } from "./mailer.ts";

/**
 * The welcome e-mail.
 *
 * @example
 * ```ts
 * await mailer.send(welcomeMessage({ to: user.email, username: user.username, appUrl }));
 * ```
 */
export function welcomeMessage(input: { to: string; username: string; appUrl: string }): MailMessage {
  return {
    to: input.to,
    subject: "Welcome to the Velox reference app",
    text: `Hello ${input.username},\n\nyour account is ready. Log in at ${input.appUrl}/docs.\n`,
  };
}

/**
 * The password-reset e-mail with its single-use link.
 *
 * @example
 * ```ts
 * await mailer.send(passwordResetMessage({ to, username, token, appUrl, ttlMinutes: 30 }));
 * ```
 */
export function passwordResetMessage(input: { to: string; username: string; token: string; appUrl: string; ttlMinutes: number }): MailMessage {
  return {
    to: input.to,
    subject: "Reset your password",
    text:
      `Hello ${input.username},\n\nsomeone asked to reset the password of your account. If it was you, open\n\n` +
      `${input.appUrl}/reset-password?token=${input.token}\n\n` +
      `or send the token to POST /auth/password-reset/confirm within ${input.ttlMinutes} minutes. It works once.\n` +
      "If it was not you, ignore this message: your password stays as it is.\n",
  };
}
