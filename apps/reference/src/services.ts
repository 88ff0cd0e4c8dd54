import { PasswordHasher } from "./auth/passwords.ts";
import { Sessions } from "./auth/sessions.ts";
import { tokenConfig, type TokenConfig } from "./auth/token-config.ts";
import { openDatabase, type AppDatabase } from "./db/connect.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { ItemsRepository } from "./repositories/items.ts";
import { RefreshTokenRepository } from "./repositories/refresh-tokens.ts";
import { UsersRepository } from "./repositories/users.ts";
import type { AppSettings } from "./settings.ts";

/** Everything the web layer needs, built once at startup. */
export interface Services {
  readonly settings: AppSettings;
  readonly database: AppDatabase;
  readonly users: UsersRepository;
  readonly items: ItemsRepository;
  readonly refreshTokens: RefreshTokenRepository;
  readonly passwords: PasswordHasher;
  readonly tokens: TokenConfig;
  readonly sessions: Sessions;
  /** Closes the database (pool or file) it opened; a database handed in stays open. */
  close(): Promise<void>;
}

/** Options of `createServices`. */
export interface CreateServicesOptions {
  /**
   * An already open database to use instead of opening `settings.databaseUrl` (tests hand in
   * their per-suite database). Its owner closes it: `Services.close()` leaves it open.
   */
  database?: AppDatabase;
}

/**
 * Opens the database, applies pending migrations, warms the dummy password hash and wires the
 * repositories and auth services: the body of the app's lifespan.
 *
 * @example
 * ```ts
 * const services = await createServices(loadSettings());
 * try { … serve … } finally { await services.close(); }
 * ```
 */
export async function createServices(settings: AppSettings, options: CreateServicesOptions = {}): Promise<Services> {
  const owned = options.database === undefined;
  const database = options.database ?? openDatabase(settings.databaseUrl, { poolSize: settings.dbPoolSize });
  const close = owned ? () => database.close() : () => Promise.resolve();
  try {
    await migrateToLatest(database.db);
    const users = new UsersRepository(database.db);
    const refreshTokens = new RefreshTokenRepository(database.db);
    const passwords = new PasswordHasher(settings.argon2);
    await passwords.dummyHash();
    const tokens = tokenConfig(settings.jwt);
    return {
      settings,
      database,
      users,
      items: new ItemsRepository(database.db),
      refreshTokens,
      passwords,
      tokens,
      sessions: new Sessions(tokens, refreshTokens, (id) => users.getById(id)),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
