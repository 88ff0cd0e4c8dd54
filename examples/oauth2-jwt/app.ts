import { HTTPException, OAuth2PasswordBearer, OAuth2PasswordRequestForm, Velox, depends, unauthorized } from "velox";
import { z } from "zod";
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from "./passwords.ts";
import { AccessTokens } from "./tokens.ts";
import { User, type UserInDB } from "./users.ts";

const Token = z.object({ access_token: z.string(), token_type: z.literal("bearer") }).meta({ id: "Token" });
const Item = z.object({ item_id: z.string(), owner: z.string() });

/** What the app needs: the users, and the secret (≥ 32 bytes) tokens are signed with. */
export interface AppOptions {
  users: Map<string, UserInDB>;
  jwtSecret: string;
  /** Access token lifetime in seconds (default 30 minutes, as in FastAPI's tutorial). */
  tokenTtlSeconds?: number;
}

/** FastAPI's "OAuth2 with Password (and hashing), Bearer with JWT tokens" tutorial, in Velox. */
export function createApp({ users, jwtSecret, tokenTtlSeconds }: AppOptions): Velox {
  const tokens = new AccessTokens(jwtSecret, tokenTtlSeconds);
  const oauth2Scheme = OAuth2PasswordBearer({ tokenUrl: "token" });

  async function authenticateUser(username: string, password: string): Promise<UserInDB | null> {
    const user = users.get(username);
    if (!user) {
      await verifyPassword(password, DUMMY_HASH);
      return null;
    }
    if (!(await verifyPassword(password, user.hashed_password))) return null;
    if (needsRehash(user.hashed_password)) user.hashed_password = await hashPassword(password);
    return user;
  }

  const currentUser = depends({ deps: { token: oauth2Scheme } }, async ({ token }) => {
    const username = await tokens.subject(token);
    const user = username === null ? undefined : users.get(username);
    if (!user) throw unauthorized(oauth2Scheme, "Could not validate credentials");
    return user;
  });

  const currentActiveUser = depends({ deps: { user: currentUser } }, ({ user }) => {
    if (user.disabled) throw new HTTPException(400, "Inactive user");
    return user;
  });

  const app = new Velox({ title: "OAuth2 with JWT", logger: false });

  app.post("/token", { deps: { login: OAuth2PasswordRequestForm }, response: Token }, async ({ login, response }) => {
    const user = await authenticateUser(login.username, login.password);
    if (!user) throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": "Bearer" });
    response.setHeader("cache-control", "no-store");
    return { access_token: await tokens.issue(user.username), token_type: "bearer" as const };
  });

  app.get("/users/me", { deps: { user: currentActiveUser }, response: User }, ({ user }) => user);

  app.get("/users/me/items", { deps: { user: currentActiveUser }, response: z.array(Item) }, ({ user }) => [{ item_id: "Foo", owner: user.username }]);

  return app;
}
