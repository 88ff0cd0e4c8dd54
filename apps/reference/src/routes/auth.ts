import { EmptyResponse, HTTPException, OAuth2PasswordRequestForm, RequestValidationError, Router, type ResponseState } from "velox";
import type { Jobs } from "velox/jobs";
import { authenticate } from "../auth/login.ts";
import type { LoginLimits } from "../auth/login-limits.ts";
import { PasswordTooLongError } from "../auth/passwords.ts";
import { welcomeMail } from "../jobs/mail-jobs.ts";
import { DuplicateError } from "../repositories/errors.ts";
import { UsersRepository } from "../repositories/users.ts";
import { Message } from "../models/message.ts";
import { RefreshRequest, TokenOut } from "../models/token.ts";
import { userCreate, UserOut, userOut } from "../models/user.ts";
import type { AppSettings } from "../settings.ts";
import { getServices } from "../web/services.ts";

/**
 * What a new account may do: its own items, read and write. `admin` is only for superusers.
 *
 * @example
 * ```ts
 * await users.create({ username, email, hashedPassword, scopes: DEFAULT_SCOPES });
 * ```
 */
export const DEFAULT_SCOPES = ["read", "write"] as const;

const DUPLICATE_DETAIL: Record<string, string> = {
  username: "A user with this username already exists",
  email: "A user with this e-mail already exists",
};

const INVALID_REFRESH = "Invalid refresh token";

// Token responses must not be cached by browsers or proxies (RFC 6749 §5.1).
function noStore(response: ResponseState): void {
  response.setHeader("cache-control", "no-store").setHeader("pragma", "no-cache");
}

function refreshRefused(): HTTPException {
  return new HTTPException(401, INVALID_REFRESH, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
}

/**
 * `/auth`: register, log in with the OAuth2 password form, rotate a refresh token, log out.
 *
 * @example
 * ```ts
 * app.include(authRouter(settings, jobs, loginLimits(settings)));
 * ```
 */
export function authRouter(settings: AppSettings, jobs: Jobs, limits: LoginLimits): Router {
  const router = new Router({ prefix: "/auth", tags: ["auth"] });
  const UserCreate = userCreate(settings.argon2.maxPasswordLength);

  router.post(
    "/register",
    {
      body: UserCreate,
      deps: { services: getServices, enqueue: jobs.dependency },
      status: 201,
      response: UserOut,
      responses: { 400: { schema: Message, description: "The username or e-mail is taken" } },
      summary: "Create an account",
      description: `New accounts hold the scopes ${DEFAULT_SCOPES.join(" and ")}. Passwords are 8–${settings.argon2.maxPasswordLength} characters.`,
    },
    async function register({ body, services, enqueue }) {
      let hashedPassword: string;
      try {
        hashedPassword = await services.passwords.hash(body.password);
      } catch (error) {
        // The schema caps characters; the hasher also caps UTF-8 bytes. Either way: 422, nothing hashed.
        if (!(error instanceof PasswordTooLongError)) throw error;
        throw new RequestValidationError([
          { type: "string_too_long", loc: ["body", "password"], msg: error.message, input: null, ctx: { max_length: error.maxLength } },
        ]);
      }
      const newUser = { username: body.username, email: body.email, hashedPassword, fullName: body.full_name ?? null, scopes: DEFAULT_SCOPES };
      const welcome = (userId: number, transaction?: unknown) =>
        enqueue(welcomeMail, { userId }, { idempotencyKey: `welcome:${userId}`, ...(transaction === undefined ? {} : { transaction }) });
      try {
        if (jobs.engine.kind === "pg-boss") {
          // The outbox: the user and the welcome mail's job commit together, or neither does.
          const user = await services.database.db.transaction().execute(async (trx) => {
            const created = await new UsersRepository(trx).create(newUser);
            await welcome(created.id, trx);
            return created;
          });
          return userOut(user);
        }
        // Other engines store jobs outside this database's transaction: enqueue once the user exists.
        const user = await services.users.create(newUser);
        await welcome(user.id);
        return userOut(user);
      } catch (error) {
        if (error instanceof DuplicateError) throw new HTTPException(400, DUPLICATE_DETAIL[error.field] ?? "Already registered");
        throw error;
      }
    },
  );

  router.post(
    "/token",
    {
      // Per address before the form is read (a hook), per username once it is (a dependency).
      hooks: limits.perAddress.hooks,
      dependencies: [limits.usernameDependency],
      deps: { login: OAuth2PasswordRequestForm, services: getServices },
      response: TokenOut,
      responses: {
        ...limits.perAddress.responses,
        400: { schema: Message, description: "The account is deactivated" },
        401: { schema: Message, description: "Incorrect username or password" },
      },
      summary: "Log in (OAuth2 password flow)",
      description:
        "Answers an access token and a refresh token. An unknown user and a wrong password get the same answer in the same time. " +
        `At most ${settings.loginRateLimit.perAddress} attempts per client address and ${settings.loginRateLimit.perUsername} per username every ${settings.loginRateLimit.windowSeconds} s (429 with Retry-After beyond).`,
    },
    async function login({ login, services, response }) {
      const outcome = await authenticate(services.users, services.passwords, login.username, login.password);
      if (!outcome.ok) {
        if (outcome.reason === "inactive") throw new HTTPException(400, "Inactive user");
        throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": "Bearer" });
      }
      noStore(response);
      return services.sessions.start(outcome.user, login.scopes);
    },
  );

  router.post(
    "/refresh",
    {
      body: RefreshRequest,
      deps: { services: getServices },
      response: TokenOut,
      responses: { 401: { schema: Message, description: "Invalid, expired, revoked or reused refresh token" } },
      summary: "Rotate a refresh token",
      description: "Uses up the refresh token and answers a new pair. Presenting a used token again revokes every token of its login session.",
    },
    async function refresh({ body, services, response }) {
      const outcome = await services.sessions.refresh(body.refresh_token);
      if (!outcome.ok) throw refreshRefused();
      noStore(response);
      return outcome.tokens;
    },
  );

  router.post(
    "/logout",
    {
      body: RefreshRequest,
      deps: { services: getServices },
      status: 204,
      responses: { 401: { schema: Message, description: "Invalid refresh token" } },
      summary: "Log out",
      description: "Revokes the login session the refresh token belongs to. Access tokens already issued expire on their own.",
    },
    async function logout({ body, services }) {
      if (!(await services.sessions.end(body.refresh_token))) throw refreshRefused();
      return new EmptyResponse(204);
    },
  );

  return router;
}
