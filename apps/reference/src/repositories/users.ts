import { sql, type Kysely } from "kysely";
import { toCount, uniqueViolation } from "../db/dialect.ts";
import type { Database } from "../db/schema.ts";
import { fitsInteger, fitsText } from "../models/columns.ts";
import { DuplicateError } from "./errors.ts";
import { pageWindow, toPage, type Page, type PageRequest } from "./pagination.ts";
import { isoNow, toUser, USER_COLUMNS, type User } from "./rows.ts";

/** What creating a user needs; the password arrives already hashed. */
export interface NewUser {
  username: string;
  email: string;
  hashedPassword: string;
  fullName?: string | null;
  isActive?: boolean;
  isSuperuser?: boolean;
  scopes?: readonly string[];
}

/** `users.username` is `varchar(64)`. */
const USERNAME_LENGTH = 64;

/** A user together with their password hash, for login only. */
export interface UserCredentials {
  user: User;
  hashedPassword: string;
}

/**
 * Users: create, read, list, delete, and the credential reads login needs.
 *
 * @example
 * ```ts
 * const users = new UsersRepository(db);
 * const alice = await users.create({ username: "alice", email: "a@example.com", hashedPassword });
 * ```
 */
export class UsersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Inserts a user. Emails are stored lower-cased; usernames keep their case but are unique
   * whatever it is. A taken username or email throws `DuplicateError` with `field` set to
   * `"username"` or `"email"`.
   *
   * @example
   * ```ts
   * await users.create({ username: "bob", email: "Bob@Example.com", hashedPassword, scopes: ["read"] });
   * ```
   */
  async create(input: NewUser): Promise<User> {
    try {
      const row = await this.db
        .insertInto("users")
        .values({
          username: input.username,
          email: input.email.toLowerCase(),
          hashed_password: input.hashedPassword,
          full_name: input.fullName ?? null,
          is_active: input.isActive ?? true,
          is_superuser: input.isSuperuser ?? false,
          scopes: (input.scopes ?? []).join(" "),
          created_at: isoNow(),
        })
        .returning(USER_COLUMNS)
        .executeTakeFirstOrThrow();
      return toUser(row);
    } catch (error) {
      const field = uniqueViolation(error);
      if (field !== undefined) throw new DuplicateError(field);
      throw error;
    }
  }

  /**
   * @example
   * ```ts
   * const user = await users.getById(1); // User | undefined
   * ```
   */
  async getById(id: number): Promise<User | undefined> {
    // An id its column cannot hold names no user (PostgreSQL would refuse the comparison).
    if (!fitsInteger(id)) return undefined;
    const row = await this.db.selectFrom("users").select(USER_COLUMNS).where("id", "=", id).executeTakeFirst();
    return row && toUser(row);
  }

  /**
   * The user with this username, whatever its case.
   *
   * @example
   * ```ts
   * const user = await users.getByUsername("alice"); // also finds "Alice"
   * ```
   */
  async getByUsername(username: string): Promise<User | undefined> {
    if (!fitsText(username, USERNAME_LENGTH)) return undefined;
    const row = await this.db.selectFrom("users").select(USER_COLUMNS).where(byUsername(username)).executeTakeFirst();
    return row && toUser(row);
  }

  /**
   * The user and password hash for a login attempt, whatever the username's case; undefined for
   * an unknown username — and for one no row could hold, since the login form bounds nothing —
   * (the caller then verifies against the dummy hash so both paths take the same time).
   *
   * @example
   * ```ts
   * const found = await users.getCredentials(form.username);
   * ```
   */
  async getCredentials(username: string): Promise<UserCredentials | undefined> {
    if (!fitsText(username, USERNAME_LENGTH)) return undefined;
    const row = await this.db
      .selectFrom("users")
      .select([...USER_COLUMNS, "hashed_password"])
      .where(byUsername(username))
      .executeTakeFirst();
    return row && { user: toUser(row), hashedPassword: row.hashed_password };
  }

  /**
   * Replaces a password hash, e.g. after a login found the old one used outdated parameters.
   *
   * @example
   * ```ts
   * if (hasher.needsRehash(hash)) await users.updatePasswordHash(user.id, await hasher.hash(password));
   * ```
   */
  async updatePasswordHash(id: number, hashedPassword: string): Promise<void> {
    await this.db.updateTable("users").set({ hashed_password: hashedPassword }).where("id", "=", id).execute();
  }

  /**
   * @example
   * ```ts
   * await users.setActive(7, false); // true if the user exists
   * ```
   */
  async setActive(id: number, isActive: boolean): Promise<boolean> {
    if (!fitsInteger(id)) return false;
    const result = await this.db.updateTable("users").set({ is_active: isActive }).where("id", "=", id).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Users ordered by id, one page at a time (size capped at 100).
   *
   * @example
   * ```ts
   * const page = await users.list({ page: 1, size: 20 });
   * ```
   */
  async list(request: PageRequest = {}): Promise<Page<User>> {
    const window = pageWindow(request);
    const [rows, count] = await Promise.all([
      this.db.selectFrom("users").select(USER_COLUMNS).orderBy("id").limit(window.size).offset(window.offset).execute(),
      this.db.selectFrom("users").select((eb) => eb.fn.countAll().as("total")).executeTakeFirstOrThrow(),
    ]);
    return toPage(rows.map(toUser), toCount(count.total), window);
  }

  /**
   * Deletes a user with their items and refresh tokens (foreign keys cascade).
   *
   * @example
   * ```ts
   * if (!(await users.delete(id))) throw new HTTPException(404, "User not found");
   * ```
   */
  async delete(id: number): Promise<boolean> {
    if (!fitsInteger(id)) return false;
    const result = await this.db.deleteFrom("users").where("id", "=", id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

/** Matches the unique index on `lower(username)` (migration 0003), so the lookup uses it. */
function byUsername(username: string) {
  return sql<boolean>`lower(username) = lower(${username})`;
}
