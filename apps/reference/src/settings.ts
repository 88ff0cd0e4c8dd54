import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { defineSettings, type SettingsOptions } from "velox/settings";
import { z } from "zod";
import { JWT_ALGORITHMS, type JwtAlgorithm } from "./auth/token-config.ts";

/** Where the default SQLite file lives: apps/reference/data/ (gitignored), whatever the cwd. */
export const DEFAULT_SQLITE_PATH = fileURLToPath(new URL("../data/velox.db", import.meta.url));

/** Where users' avatars are stored by default: apps/reference/data/avatars/ (gitignored). */
export const DEFAULT_AVATAR_DIR = fileURLToPath(new URL("../data/avatars", import.meta.url));

const MIN_PRODUCTION_SECRET = 32;

const SettingsSchema = z
  .object({
    node_env: z.enum(["development", "test", "production"]).default("development"),
    app_name: z.string().min(1).max(100).default("Velox reference app"),
    debug: z.boolean().default(false),
    host: z.string().min(1).default("127.0.0.1"),
    port: z.int().min(0).max(65535).default(8000),
    database_url: z.string().min(1).optional(),
    db_pool_size: z.int().min(1).max(200).default(10),
    database_statement_timeout_ms: z.int().min(0).max(3_600_000).default(5_000),
    database_connect_timeout_ms: z.int().min(1).max(600_000).default(5_000),
    redis_url: z.string().min(1).optional(),
    chat_redis_prefix: z.string().min(1).max(100).default("velox-reference:chat"),
    jwt_secret: z.string().min(1).optional(),
    jwt_algorithm: z.enum(JWT_ALGORITHMS).default("HS256"),
    jwt_issuer: z.string().min(1).default("velox-reference"),
    jwt_audience: z.string().min(1).default("velox-reference-api"),
    access_token_ttl_seconds: z.int().positive().default(15 * 60),
    refresh_token_ttl_seconds: z.int().positive().default(7 * 24 * 60 * 60),
    argon2_memory_kib: z.int().min(8 * 1024).default(19_456),
    argon2_time_cost: z.int().min(1).default(2),
    argon2_parallelism: z.int().min(1).max(16).default(1),
    password_max_length: z.int().min(8).max(1024).default(128),
    workers: z.int().min(0).max(64).default(0),
    // Proxies in front (nginx: 1): how many X-Forwarded-For hops to believe; 0 believes none.
    trust_proxy: z.int().min(0).max(10).default(0),
    shutdown_timeout_ms: z.int().min(1_000).max(600_000).default(25_000),
    list_cache_ttl_ms: z.int().min(0).max(3_600_000).default(2_000),
    item_cache_ttl_ms: z.int().min(0).max(3_600_000).default(10_000),
    cache_redis_prefix: z.string().min(1).max(100).default("velox-reference:cache:"),
    cache_memory_items: z.int().min(0).max(10_000_000).default(10_000),
    avatar_dir: z.string().min(1).optional(),
    first_superuser: z.string().min(1).optional(),
    first_superuser_email: z.string().min(3).optional(),
    first_superuser_password: z.string().min(8).optional(),
    // Comma-separated origins, or a JSON list, as FastAPI's full-stack template reads it.
    backend_cors_origins: z.string().default("http://localhost:3000"),
    otel_exporter_otlp_endpoint: z.url().optional(),
    slow_request_ms: z.int().min(0).default(1_000),
    access_log: z.boolean().default(true),
    smtp_url: z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional(),
    mail_from: z.string().min(3).default("Velox reference app <no-reply@localhost>"),
    public_url: z.string().regex(/^https?:\/\//, "must be an http(s):// URL").optional(),
    password_reset_ttl_seconds: z.int().min(60).max(86_400).default(30 * 60),
    jobs_backend: z.enum(["auto", "sqlite", "postgres", "redis"]).default("auto"),
    jobs_worker: z.stringbool().default(true),
    login_rate_limit_per_address: z.int().min(1).max(1_000_000).default(100),
    login_rate_limit_per_username: z.int().min(1).max(1_000_000).default(10),
    login_rate_limit_window_seconds: z.int().min(1).max(86_400).default(300),
    login_rate_limit_failure: z.enum(["open", "closed"]).default("closed"),
  })
  .superRefine((settings, ctx) => {
    const superuser = [settings.first_superuser, settings.first_superuser_email, settings.first_superuser_password];
    if (superuser.some((value) => value !== undefined)) {
      const names = ["first_superuser", "first_superuser_email", "first_superuser_password"] as const;
      for (const [index, name] of names.entries()) {
        if (superuser[index] === undefined) ctx.addIssue({ code: "custom", path: [name], message: "must be set with the other FIRST_SUPERUSER_* settings" });
      }
    }
    const secret = settings.jwt_secret;
    const postgres = settings.database_url !== undefined && /^postgres(ql)?:\/\//.test(settings.database_url);
    if (settings.jobs_backend === "postgres" && !postgres) ctx.addIssue({ code: "custom", path: ["jobs_backend"], message: "postgres needs a postgres:// DATABASE_URL" });
    if (settings.jobs_backend === "sqlite" && postgres) ctx.addIssue({ code: "custom", path: ["jobs_backend"], message: "sqlite needs a SQLite DATABASE_URL" });
    if (settings.jobs_backend === "redis" && settings.redis_url === undefined) ctx.addIssue({ code: "custom", path: ["jobs_backend"], message: "redis needs REDIS_URL" });
    if (settings.node_env === "production" && settings.debug) ctx.addIssue({ code: "custom", path: ["debug"], message: "must be false in production" });
    if (settings.node_env === "production" && (secret === undefined || secret.length < MIN_PRODUCTION_SECRET)) {
      ctx.addIssue({
        code: "custom",
        path: ["jwt_secret"],
        message: `must be at least ${MIN_PRODUCTION_SECRET} characters in production`,
      });
    }
  });

/**
 * Every environment variable `loadSettings` reads, in schema order — what `.env.example` lists.
 *
 * @example
 * ```ts
 * SETTINGS_VARIABLES.includes("DATABASE_URL"); // true
 * ```
 */
export const SETTINGS_VARIABLES: readonly string[] = Object.freeze(Object.keys(SettingsSchema.shape).map((key) => key.toUpperCase()));

/** The reference app's settings, resolved: the database URL and JWT secret are always present. */
export interface AppSettings {
  readonly nodeEnv: "development" | "test" | "production";
  /** The API's title in OpenAPI and `/docs` (`APP_NAME`). */
  readonly appName: string;
  /** `DEBUG=true`: debug-level logs; refused in production. */
  readonly debug: boolean;
  readonly host: string;
  readonly port: number;
  /** `postgres://…` or `sqlite:<path>`. */
  readonly databaseUrl: string;
  readonly dbPoolSize: number;
  /** Longest statement (PostgreSQL) or lock wait (SQLite busy_timeout); 0: no limit. */
  readonly databaseStatementTimeoutMs: number;
  /** Longest wait for a pooled PostgreSQL connection. */
  readonly databaseConnectTimeoutMs: number;
  readonly redisUrl: string | undefined;
  /** Prefix of the chat's Redis keys and channels (one per deployment sharing a Redis). */
  readonly chatRedisPrefix: string;
  readonly jwt: {
    readonly secret: string;
    /** True when no JWT_SECRET was set and a random one was made for this process. */
    readonly generated: boolean;
    /** The one HMAC algorithm signed and accepted (`JWT_ALGORITHM`, default HS256). */
    readonly algorithm: JwtAlgorithm;
    readonly issuer: string;
    readonly audience: string;
    readonly accessTtlSeconds: number;
    readonly refreshTtlSeconds: number;
  };
  readonly argon2: {
    readonly memoryCost: number;
    readonly timeCost: number;
    readonly parallelism: number;
    readonly maxPasswordLength: number;
  };
  /** How long an owner's item page is cached (0: never); see `ItemReadCache`. */
  readonly listCacheTtlMs: number;
  /** How long a single item and the popular list are cached (0: never); see `ItemReadCache`. */
  readonly itemCacheTtlMs: number;
  /** Prefix of the cache's Redis keys and channel, when `REDIS_URL` is set (`CACHE_REDIS_PREFIX`). */
  readonly cacheRedisPrefix: string;
  /** Entries of the cache's memory tier (`CACHE_MEMORY_ITEMS`); 0 with `REDIS_URL` caches in Redis only. */
  readonly cacheMemoryItems: number;
  /** The directory users' avatars are stored in (`AVATAR_DIR`). */
  readonly avatarDir: string;
  /** Worker processes for `serve()`; 0 serves in the starting process. */
  readonly workers: number;
  /** `serve()`'s `trustProxy` (`TRUST_PROXY` hops) and drain deadline (`SHUTDOWN_TIMEOUT_MS`). */
  readonly server: { readonly trustProxy: number; readonly shutdownTimeoutMs: number };
  /** Browser origins allowed to call the API with credentials (`BACKEND_CORS_ORIGINS`, default `http://localhost:3000`). */
  readonly corsOrigins: readonly string[];
  /** Access log, traces (exported when `OTEL_EXPORTER_OTLP_ENDPOINT` is set) and the slow-request threshold. */
  readonly observability: { readonly accessLog: boolean; readonly otlpEndpoint: string | undefined; readonly slowRequestMs: number };
  /** Outgoing e-mail: SMTP server (unset: mail goes to the log), From address, link base. */
  readonly mail: { readonly smtpUrl: string | undefined; readonly from: string; readonly publicUrl: string; readonly resetTtlSeconds: number };
  /**
   * Durable jobs (`velox/jobs`): `auto` keeps them in the app's database (SQLite queue, or pg-boss
   * on PostgreSQL); `redis` uses BullMQ on `REDIS_URL`. `worker`: run the job worker in the server
   * processes (`JOBS_WORKER=false` when a separate `velox worker` runs them).
   */
  readonly jobs: { readonly backend: "sqlite" | "postgres" | "redis"; readonly worker: boolean };
  /**
   * The brute-force guard of `POST /auth/token`: attempts per client address and per username in
   * each window (in memory, or in Redis when `REDIS_URL` is set), and what happens when Redis is
   * gone (`closed`: 503, the safe default for a login; `open`: no limit).
   */
  readonly loginRateLimit: { readonly perAddress: number; readonly perUsername: number; readonly windowSeconds: number; readonly failure: "open" | "closed" };
  /** An administrator created at startup when missing (`FIRST_SUPERUSER*`), as in FastAPI's full-stack template. */
  readonly firstSuperuser: { readonly username: string; readonly email: string; readonly password: string } | undefined;
}

/** `a,b` or `["a","b"]` → origins without trailing slashes (the template's `rstrip("/")`). */
function parseOrigins(value: string): string[] {
  const text = value.trim();
  let list: unknown = text.split(",");
  if (text.startsWith("[")) {
    try {
      list = JSON.parse(text);
    } catch {
      throw new Error(`BACKEND_CORS_ORIGINS: ${JSON.stringify(value)} starts with "[" but is not a JSON list`);
    }
  }
  if (!Array.isArray(list)) throw new Error("BACKEND_CORS_ORIGINS must be comma-separated origins or a JSON list of them");
  return list.map((o) => String(o).trim().replace(/\/+$/, "")).filter((o) => o !== "");
}

function jobsBackend(choice: "auto" | "sqlite" | "postgres" | "redis", databaseUrl: string | undefined): "sqlite" | "postgres" | "redis" {
  if (choice !== "auto") return choice;
  return databaseUrl !== undefined && /^postgres(ql)?:\/\//.test(databaseUrl) ? "postgres" : "sqlite";
}

/** Options for `loadSettings`: the env source (tests pass their own) and a warning sink. */
export interface LoadSettingsOptions extends Pick<SettingsOptions, "env" | "envFile"> {
  warn?: (message: string) => void;
}

/**
 * Reads and validates the app's settings from the environment and `.env`. Throws one
 * `SettingsError` listing every bad variable. Outside production a missing `JWT_SECRET` is replaced
 * by a random per-process secret with a loud warning (every restart logs everyone out).
 *
 * @example
 * ```ts
 * const settings = loadSettings();
 * console.log(`listening on ${settings.host}:${settings.port}`);
 * ```
 */
export function loadSettings(options: LoadSettingsOptions = {}): AppSettings {
  const raw = defineSettings(SettingsSchema, { env: options.env, envFile: options.envFile });
  const warn = options.warn ?? ((message: string) => console.warn(message));
  let secret = raw.jwt_secret;
  const generated = secret === undefined;
  if (secret === undefined) {
    secret = randomBytes(32).toString("base64url");
    warn(
      "\n!!! JWT_SECRET is not set: using a random secret for this process only.\n" +
        "!!! Tokens will not survive a restart. Set JWT_SECRET (32+ characters) before production.\n",
    );
  } else if (secret.length < MIN_PRODUCTION_SECRET) {
    warn(`JWT_SECRET is shorter than ${MIN_PRODUCTION_SECRET} characters; production will refuse it.`);
  }
  return Object.freeze({
    nodeEnv: raw.node_env,
    appName: raw.app_name,
    debug: raw.debug,
    host: raw.host,
    port: raw.port,
    databaseUrl: raw.database_url ?? `sqlite:${DEFAULT_SQLITE_PATH}`,
    dbPoolSize: raw.db_pool_size,
    databaseStatementTimeoutMs: raw.database_statement_timeout_ms,
    databaseConnectTimeoutMs: raw.database_connect_timeout_ms,
    redisUrl: raw.redis_url,
    chatRedisPrefix: raw.chat_redis_prefix,
    jwt: Object.freeze({
      secret,
      generated,
      algorithm: raw.jwt_algorithm,
      issuer: raw.jwt_issuer,
      audience: raw.jwt_audience,
      accessTtlSeconds: raw.access_token_ttl_seconds,
      refreshTtlSeconds: raw.refresh_token_ttl_seconds,
    }),
    argon2: Object.freeze({
      memoryCost: raw.argon2_memory_kib,
      timeCost: raw.argon2_time_cost,
      parallelism: raw.argon2_parallelism,
      maxPasswordLength: raw.password_max_length,
    }),
    listCacheTtlMs: raw.list_cache_ttl_ms,
    itemCacheTtlMs: raw.item_cache_ttl_ms,
    cacheRedisPrefix: raw.cache_redis_prefix,
    cacheMemoryItems: raw.cache_memory_items,
    mail: Object.freeze({
      smtpUrl: raw.smtp_url,
      from: raw.mail_from,
      publicUrl: (raw.public_url ?? `http://${raw.host}:${raw.port}`).replace(/\/+$/, ""),
      resetTtlSeconds: raw.password_reset_ttl_seconds,
    }),
    jobs: Object.freeze({ backend: jobsBackend(raw.jobs_backend, raw.database_url), worker: raw.jobs_worker }),
    loginRateLimit: Object.freeze({
      perAddress: raw.login_rate_limit_per_address,
      perUsername: raw.login_rate_limit_per_username,
      windowSeconds: raw.login_rate_limit_window_seconds,
      failure: raw.login_rate_limit_failure,
    }),
    avatarDir: raw.avatar_dir ?? DEFAULT_AVATAR_DIR,
    workers: raw.workers,
    server: Object.freeze({ trustProxy: raw.trust_proxy, shutdownTimeoutMs: raw.shutdown_timeout_ms }),
    corsOrigins: Object.freeze(parseOrigins(raw.backend_cors_origins)),
    observability: Object.freeze({ accessLog: raw.access_log, otlpEndpoint: raw.otel_exporter_otlp_endpoint, slowRequestMs: raw.slow_request_ms }),
    firstSuperuser:
      raw.first_superuser === undefined || raw.first_superuser_email === undefined || raw.first_superuser_password === undefined
        ? undefined
        : Object.freeze({ username: raw.first_superuser, email: raw.first_superuser_email, password: raw.first_superuser_password }),
  });
}
