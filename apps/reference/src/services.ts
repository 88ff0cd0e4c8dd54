import { consoleLogger, type Logger } from "velox";
import { createCache, type Cache } from "velox/cache";
import { AccessTokenVerifier } from "./auth/access-token-cache.ts";
import { PasswordHasher } from "./auth/passwords.ts";
import { Sessions } from "./auth/sessions.ts";
import { tokenConfig, type TokenConfig } from "./auth/token-config.ts";
import { openDatabase, type AppDatabase } from "./db/connect.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { AvatarStore } from "./avatars/avatar-store.ts";
import { ItemEvents } from "./events/item-events.ts";
import { connectRedisItemRelay } from "./events/redis-item-relay.ts";
import { ItemReadCache } from "./cache/item-read-cache.ts";
import { ItemsRepository } from "./repositories/items.ts";
import { createMailer, type Mailer } from "./mail/mailer.ts";
import { PasswordResetRepository } from "./repositories/password-resets.ts";
import { RefreshTokenRepository } from "./repositories/refresh-tokens.ts";
import { UsersRepository } from "./repositories/users.ts";
import { ViewCounter } from "./repositories/view-counter.ts";
import type { AppSettings } from "./settings.ts";

/** Everything the web layer needs, built once at startup. */
export interface Services {
  readonly settings: AppSettings;
  readonly database: AppDatabase;
  readonly users: UsersRepository;
  readonly items: ItemsRepository;
  /** Item views, counted in memory and written in batches. */
  readonly views: ViewCounter;
  /** The app's cache: memory, with Redis behind it when `REDIS_URL` is set. */
  readonly cache: Cache;
  /** Item pages, single items and the popular list, through `cache`, invalidated by owner on writes. */
  readonly itemReads: ItemReadCache;
  readonly refreshTokens: RefreshTokenRepository;
  readonly passwords: PasswordHasher;
  readonly tokens: TokenConfig;
  /** Access-token verification that remembers tokens it accepted until they expire. */
  readonly accessTokens: AccessTokenVerifier;
  readonly sessions: Sessions;
  /** Outgoing e-mail (SMTP, or the log); used by the mail jobs. */
  readonly mailer: Mailer;
  /** Single-use password-reset tokens, stored hashed. */
  readonly passwordResets: PasswordResetRepository;
  /** Item changes, streamed to their owners by `GET /items/events`. */
  readonly itemEvents: ItemEvents;
  /** Users' avatars on disk. */
  readonly avatars: AvatarStore;
  /** Writes pending view counts, then closes the database it opened (a database handed in stays open). */
  close(): Promise<void>;
}

/** Options of `createServices`. */
export interface CreateServicesOptions {
  /**
   * An already open database to use instead of opening `settings.databaseUrl` (tests hand in
   * their per-suite database). Its owner closes it: `Services.close()` leaves it open.
   */
  database?: AppDatabase;
  /** Where the mailer logs (default: JSON lines on stderr). */
  logger?: Logger;
}

/**
 * The item event bus: over Redis when `REDIS_URL` is set (every instance sees every change, and
 * `Last-Event-ID` resumes anywhere), in memory otherwise.
 */
async function itemEventsFor(settings: AppSettings, logger: Logger | undefined): Promise<{ events: ItemEvents; close: () => Promise<void> }> {
  if (settings.redisUrl === undefined) return { events: new ItemEvents(), close: async () => undefined };
  const log = logger ?? consoleLogger();
  let lastWarning = 0;
  // Redis errors repeat while it is away: one line per 10 s is enough.
  const onError = (error: unknown) => {
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    log.warn({ err: error }, "item events: Redis unavailable, changes reach this process's streams only");
  };
  const replay = 100;
  // The relay delivers into the bus, which publishes through the relay.
  const bus: { events?: ItemEvents } = {};
  const relay = await connectRedisItemRelay({ url: settings.redisUrl, prefix: settings.chatRedisPrefix, keep: replay, deliver: (owner, event) => bus.events?.deliver(owner, event), onError });
  bus.events = new ItemEvents({ relay, replay, onRelayError: onError });
  return { events: bus.events, close: () => relay.close() };
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
  const database = options.database ?? openDatabase(settings.databaseUrl, { poolSize: settings.dbPoolSize, statementTimeoutMs: settings.databaseStatementTimeoutMs, connectTimeoutMs: settings.databaseConnectTimeoutMs });
  const closeDatabase = owned ? () => database.close() : () => Promise.resolve();
  let cache: Cache | undefined;
  let itemEvents: Awaited<ReturnType<typeof itemEventsFor>> | undefined;
  try {
    cache = await createCache({
      name: "items",
      memory: settings.cacheMemoryItems === 0 && settings.redisUrl !== undefined ? false : { max: Math.max(1, settings.cacheMemoryItems) },
      // With Redis down at boot the cache still starts (memory and the database answer); readiness says degraded.
      redis: settings.redisUrl === undefined ? undefined : { url: settings.redisUrl, prefix: settings.cacheRedisPrefix },
    });
    await migrateToLatest(database.db);
    const users = new UsersRepository(database.db);
    const refreshTokens = new RefreshTokenRepository(database.db);
    const passwords = new PasswordHasher(settings.argon2);
    await passwords.dummyHash();
    const tokens = tokenConfig(settings.jwt);
    const items = new ItemsRepository(database.db);
    const views = new ViewCounter(items);
    itemEvents = await itemEventsFor(settings, options.logger);
    const relay = itemEvents;
    const mailer = await createMailer({ smtpUrl: settings.mail.smtpUrl, from: settings.mail.from, nodeEnv: settings.nodeEnv, logger: options.logger ?? consoleLogger() });
    return {
      settings,
      database,
      users,
      items,
      views,
      cache,
      itemReads: new ItemReadCache(items, cache, { listTtlMs: settings.listCacheTtlMs, itemTtlMs: settings.itemCacheTtlMs }),
      refreshTokens,
      passwords,
      tokens,
      accessTokens: new AccessTokenVerifier(tokens),
      sessions: new Sessions(tokens, refreshTokens, (id) => users.getById(id)),
      mailer,
      passwordResets: new PasswordResetRepository(database.db),
      itemEvents: relay.events,
      avatars: new AvatarStore(settings.avatarDir),
      close: async () => {
        await views.close();
        mailer.close();
        await relay.close();
        await cache?.close();
        await closeDatabase();
      },
    };
  } catch (error) {
    // A start that fails half-way closes what it opened (the Redis relay and cache hold sockets).
    await itemEvents?.close();
    await cache?.close();
    await closeDatabase();
    throw error;
  }
}
