import { HTTPException, Router, security } from "velox";
import { idField } from "../models/columns.ts";
import { Message } from "../models/message.ts";
import { pageOf } from "../models/page.ts";
import { UserAdminUpdate, UserOut, userOut } from "../models/user.ts";
import { pageParams } from "../web/pagination.ts";
import { activeUser, superuser } from "../web/security.ts";
import { getServices } from "../web/services.ts";

/**
 * `Page[User]`: a page of users.
 *
 * @example
 * ```ts
 * router.get("", { response: UserPage }, async () => ({ ...page, items: page.items.map(userOut) }));
 * ```
 */
export const UserPage = pageOf(UserOut, "User");

const userPath = { user_id: idField() };
const notFound = { 404: { schema: Message, description: "No such user" } };

/**
 * `/users`: the current user, and user administration for superusers holding the `admin` scope.
 *
 * @example
 * ```ts
 * app.include(usersRouter());
 * ```
 */
export function usersRouter(): Router {
  const router = new Router({ prefix: "/users", tags: ["users"] });

  router.get(
    "/me",
    { deps: { user: security(activeUser, ["read"]) }, response: UserOut, summary: "Your account" },
    function readMe({ user }) {
      return userOut(user);
    },
  );

  router.get(
    "",
    { deps: { admin: security(superuser, ["admin"]), window: pageParams, services: getServices }, response: UserPage, summary: "List users (admin)" },
    async function listUsers({ window, services }) {
      const page = await services.users.list(window);
      return { ...page, items: page.items.map(userOut) };
    },
  );

  router.get(
    "/{user_id}",
    { path: userPath, deps: { admin: security(superuser, ["admin"]), services: getServices }, response: UserOut, responses: notFound, summary: "Read a user (admin)" },
    async function readUser({ path, services }) {
      const user = await services.users.getById(path.user_id);
      if (!user) throw new HTTPException(404, "User not found");
      return userOut(user);
    },
  );

  router.patch(
    "/{user_id}",
    {
      path: userPath,
      body: UserAdminUpdate,
      deps: { admin: security(superuser, ["admin"]), services: getServices },
      response: UserOut,
      responses: notFound,
      summary: "Activate or deactivate a user (admin)",
      description: "Deactivating a user also revokes all their refresh tokens.",
    },
    async function updateUser({ path, body, admin, services }) {
      if (path.user_id === admin.id && !body.is_active) throw new HTTPException(403, "Superusers cannot deactivate themselves");
      if (!(await services.users.setActive(path.user_id, body.is_active))) throw new HTTPException(404, "User not found");
      if (!body.is_active) await services.refreshTokens.revokeAllForUser(path.user_id);
      const user = await services.users.getById(path.user_id);
      if (!user) throw new HTTPException(404, "User not found");
      return userOut(user);
    },
  );

  router.delete(
    "/{user_id}",
    {
      path: userPath,
      deps: { admin: security(superuser, ["admin"]), services: getServices },
      status: 204,
      responses: { ...notFound, 403: { schema: Message, description: "Not a superuser, or deleting yourself" } },
      summary: "Delete a user and their items (admin)",
    },
    async function deleteUser({ path, admin, services }) {
      if (path.user_id === admin.id) throw new HTTPException(403, "Superusers cannot delete themselves");
      if (!(await services.users.delete(path.user_id))) throw new HTTPException(404, "User not found");
      await services.itemReads.invalidateOwner(path.user_id);
    },
  );

  return router;
}
