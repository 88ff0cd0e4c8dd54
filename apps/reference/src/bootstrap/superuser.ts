import { SCOPES } from "../auth/scopes.ts";
import { DuplicateError } from "../repositories/errors.ts";
import type { Services } from "../services.ts";
import type { AppSettings } from "../settings.ts";

/**
 * Creates the administrator named by `FIRST_SUPERUSER*` when no user of that name exists (FastAPI's
 * full-stack template does the same at start). An existing account is left as it is: changing the
 * password in the environment later does not overwrite it. Returns whether a user was created.
 *
 * @example
 * ```ts
 * await ensureSuperuser(services, settings.firstSuperuser);
 * ```
 */
export async function ensureSuperuser(services: Services, wanted: AppSettings["firstSuperuser"]): Promise<boolean> {
  if (wanted === undefined) return false;
  if (await services.users.getByUsername(wanted.username)) return false;
  try {
    await services.users.create({
      username: wanted.username,
      email: wanted.email,
      hashedPassword: await services.passwords.hash(wanted.password),
      isSuperuser: true,
      scopes: Object.keys(SCOPES),
    });
    return true;
  } catch (error) {
    // Another worker created it first.
    if (error instanceof DuplicateError && error.field === "username") return false;
    throw error;
  }
}
