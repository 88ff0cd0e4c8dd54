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
  /** Closes the database (pool or file). */
  close(): Promise<void>;
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
export async function createServices(settings: AppSettings): Promise<Services> {
  const database = openDatabase(settings.databaseUrl, { poolSize: settings.dbPoolSize });
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
      close: () => database.close(),
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
