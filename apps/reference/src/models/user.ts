import { z } from "zod";
import type { User } from "../repositories/rows.ts";
import type { UserWithItems } from "../repositories/users-with-items.ts";
import { textField } from "./columns.ts";
import { ItemOut, itemOut } from "./item.ts";

/**
 * The registration body. The password's length limit comes from the settings, so the model is
 * built per app; an oversize password is a 422 before anything is hashed.
 *
 * @example
 * ```ts
 * const UserCreate = userCreate(settings.argon2.maxPasswordLength);
 * app.post("/auth/register", { body: UserCreate, status: 201 }, ({ body }) => register(body));
 * ```
 */
export function userCreate(maxPasswordLength: number) {
  return z
    .object({
      // varchar(64), unique whatever the case
      username: textField(64)
        .min(3)
        .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, '_', '.' and '-' only"),
      email: z.email().max(320),
      password: z.string().min(8).max(maxPasswordLength).meta({ format: "password", writeOnly: true }),
      full_name: textField(200).nullable().optional(), // varchar(200)
    })
    .strict()
    .meta({ id: "UserCreate" });
}

/**
 * A user as clients see it (`User` in OpenAPI): never the password hash.
 *
 * @example
 * ```ts
 * router.get("/users/me", { response: UserOut }, ({ user }) => userOut(user));
 * ```
 */
export const UserOut = z
  .object({
    id: z.int(),
    username: z.string(),
    email: z.string(),
    full_name: z.string().nullable(),
    is_active: z.boolean(),
    is_superuser: z.boolean(),
    scopes: z.array(z.string()),
    created_at: z.iso.datetime(),
  })
  .meta({ id: "User" });

export type UserOut = z.infer<typeof UserOut>;

/**
 * An administrator's change to a user.
 *
 * @example
 * ```ts
 * router.patch("/users/{user_id}", { body: UserAdminUpdate }, ({ body }) => users.setActive(id, body.is_active));
 * ```
 */
export const UserAdminUpdate = z.object({ is_active: z.boolean() }).strict().meta({ id: "UserAdminUpdate" });

/**
 * A user and their items (`GET /users-with-items`).
 *
 * @example
 * ```ts
 * router.get("/users-with-items", { response: z.array(UserWithItemsOut) }, async () => rows.map(userWithItemsOut));
 * ```
 */
export const UserWithItemsOut = UserOut.extend({ items: z.array(ItemOut) }).meta({ id: "UserWithItems" });

/**
 * Maps a repository `User` to the API's snake_case shape.
 *
 * @example
 * ```ts
 * app.get("/users/me", { response: UserOut }, ({ user }) => userOut(user));
 * ```
 */
export function userOut(user: User): UserOut {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    full_name: user.fullName,
    is_active: user.isActive,
    is_superuser: user.isSuperuser,
    scopes: user.scopes,
    created_at: user.createdAt.toISOString(),
  };
}

/**
 * Maps a user with their items.
 *
 * @example
 * ```ts
 * return (await usersWithItems(db, query)).map(userWithItemsOut);
 * ```
 */
export function userWithItemsOut(user: UserWithItems): z.infer<typeof UserWithItemsOut> {
  return { ...userOut(user), items: user.items.map(itemOut) };
}
