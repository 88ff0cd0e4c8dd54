import { textField } from "../models/columns.ts";
import { HTTPException, RequestValidationError, Router } from "velox";
import type { Jobs } from "velox/jobs";
import { z } from "zod";
import { PasswordTooLongError } from "../auth/passwords.ts";
import { passwordResetMail } from "../jobs/mail-jobs.ts";
import { Message } from "../models/message.ts";
import type { AppSettings } from "../settings.ts";
import { getServices } from "../web/services.ts";

const SENT = "If the address belongs to an account, a reset link is on its way";
const INVALID_TOKEN = "Invalid or expired reset token";

/**
 * `/auth/password-reset`: ask for a reset link by e-mail, then set a new password with the token.
 * The request answers the same (202, same body) for known and unknown addresses and does the same
 * work for both — one durable job — so neither the answer nor its timing tells who has an account.
 * A token works once, expires (`PASSWORD_RESET_TTL_SECONDS`), is stored hashed, and using it ends
 * every login session of the account.
 *
 * @example
 * ```ts
 * app.include(passwordResetRouter(settings, jobs));
 * ```
 */
export function passwordResetRouter(settings: AppSettings, jobs: Jobs): Router {
  const router = new Router({ prefix: "/auth", tags: ["auth"] });

  router.post(
    "/password-reset",
    {
      body: z.object({ email: z.email().max(320) }).strict().meta({ id: "PasswordResetRequest" }),
      deps: { enqueue: jobs.dependency },
      status: 202,
      response: Message,
      summary: "Ask for a password-reset link",
      description: "Mails a single-use link to the address if it belongs to an active account. The answer is the same either way. At most one mail per address per minute.",
    },
    async function requestPasswordReset({ body, enqueue }) {
      const email = body.email.toLowerCase();
      // One job per address per minute: repeated requests do not flood a mailbox.
      await enqueue(passwordResetMail, { email }, { idempotencyKey: `reset:${email}:${Math.floor(Date.now() / 60_000)}` });
      return { detail: SENT };
    },
  );

  router.post(
    "/password-reset/confirm",
    {
      body: z
        .object({
          token: textField(128).min(1),
          new_password: z.string().min(8).max(settings.argon2.maxPasswordLength).meta({ format: "password", writeOnly: true }),
        })
        .strict()
        .meta({ id: "PasswordResetConfirm" }),
      deps: { services: getServices },
      response: Message,
      responses: { 400: { schema: Message, description: "The token is unknown, used or expired" } },
      summary: "Set a new password with a reset token",
      description: "Uses up the token, sets the password and revokes every refresh token of the account.",
    },
    async function confirmPasswordReset({ body, services }) {
      let hashedPassword: string;
      try {
        hashedPassword = await services.passwords.hash(body.new_password);
      } catch (error) {
        if (!(error instanceof PasswordTooLongError)) throw error;
        throw new RequestValidationError([
          { type: "string_too_long", loc: ["body", "new_password"], msg: error.message, input: null, ctx: { max_length: error.maxLength } },
        ]);
      }
      const userId = await services.passwordResets.consume(body.token);
      if (userId === null) throw new HTTPException(400, INVALID_TOKEN);
      await services.users.updatePasswordHash(userId, hashedPassword);
      await services.refreshTokens.revokeAllForUser(userId);
      return { detail: "Password changed; log in again" };
    },
  );

  return router;
}
