import { z } from "zod";
import { textField } from "./columns.ts";

/**
 * The OAuth2 token response (RFC 6749 §5.1) with a refresh token.
 *
 * @example
 * ```ts
 * router.post("/token", { response: TokenOut }, async () => sessions.start(user));
 * ```
 */
export const TokenOut = z
  .object({
    access_token: z.string(),
    refresh_token: z.string(),
    token_type: z.literal("bearer"),
    expires_in: z.int().describe("Seconds until the access token expires."),
  })
  .meta({ id: "Token" });

/**
 * A refresh token sent back to rotate it or to log out.
 *
 * @example
 * ```ts
 * router.post("/refresh", { body: RefreshRequest }, ({ body }) => sessions.refresh(body.refresh_token));
 * ```
 */
export const RefreshRequest = z
  .object({ refresh_token: textField(8192).min(1) })
  .strict()
  .meta({ id: "RefreshRequest" });
