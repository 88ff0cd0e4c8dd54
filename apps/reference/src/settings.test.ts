import { describe, expect, it } from "vitest";
import { SettingsError } from "velox/settings";
import { DEFAULT_SQLITE_PATH, loadSettings } from "./settings.ts";

const quiet = { envFile: false as const, warn: () => undefined };
const strong = "p".repeat(32);

describe("loadSettings", () => {
  it("runs with no configuration: SQLite under data/, 127.0.0.1:8000, OWASP Argon2id, 15 min / 7 day tokens", () => {
    const settings = loadSettings({ ...quiet, env: {} });
    expect(settings).toMatchObject({
      nodeEnv: "development",
      host: "127.0.0.1",
      port: 8000,
      databaseUrl: `sqlite:${DEFAULT_SQLITE_PATH}`,
      redisUrl: undefined,
      jwt: { generated: true, accessTtlSeconds: 900, refreshTtlSeconds: 604_800 },
      argon2: { memoryCost: 19_456, timeCost: 2, parallelism: 1, maxPasswordLength: 128 },
    });
    expect(DEFAULT_SQLITE_PATH).toMatch(/apps\/reference\/data\/velox\.db$/);
  });

  it("generates a random JWT secret outside production, with a loud warning that hides it", () => {
    const warnings: string[] = [];
    const a = loadSettings({ envFile: false, env: {}, warn: (message) => warnings.push(message) });
    const b = loadSettings({ ...quiet, env: {} });
    expect(a.jwt.secret).toHaveLength(43);
    expect(a.jwt.secret).not.toBe(b.jwt.secret);
    expect(warnings.join("")).toMatch(/JWT_SECRET is not set/);
    expect(warnings.join("")).not.toContain(a.jwt.secret);
  });

  it("requires JWT_SECRET of 32+ characters in production", () => {
    expect(() => loadSettings({ ...quiet, env: { NODE_ENV: "production" } })).toThrow(/JWT_SECRET: missing/);
    const short = () => loadSettings({ ...quiet, env: { NODE_ENV: "production", JWT_SECRET: "short-secret" } });
    expect(short).toThrow(SettingsError);
    expect(short).toThrow(/JWT_SECRET: must be at least 32 characters in production/);
    expect(short).not.toThrow(/short-secret/);
    const ok = loadSettings({ ...quiet, env: { NODE_ENV: "production", JWT_SECRET: strong } });
    expect(ok.jwt).toMatchObject({ secret: strong, generated: false });
  });

  it("reads every variable and lists every bad one at once", () => {
    const settings = loadSettings({
      ...quiet,
      env: {
        HOST: "0.0.0.0",
        PORT: "9000",
        DATABASE_URL: "postgres://app@db/app",
        REDIS_URL: "redis://127.0.0.1:6379",
        JWT_SECRET: strong,
        ACCESS_TOKEN_TTL_SECONDS: "60",
        ARGON2_MEMORY_KIB: "65536",
      },
    });
    expect(settings).toMatchObject({ host: "0.0.0.0", port: 9000, databaseUrl: "postgres://app@db/app", redisUrl: "redis://127.0.0.1:6379" });
    expect(settings.jwt.accessTtlSeconds).toBe(60);
    expect(settings.argon2.memoryCost).toBe(65_536);

    try {
      loadSettings({ ...quiet, env: { PORT: "http", NODE_ENV: "staging", ARGON2_TIME_COST: "0", DB_POOL_SIZE: "many" } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).issues.map((issue) => issue.variable).sort()).toEqual(["ARGON2_TIME_COST", "DB_POOL_SIZE", "NODE_ENV", "PORT"]);
    }
  });

  it("reads the worker count and the first superuser, which needs all three variables", () => {
    expect(loadSettings({ ...quiet, env: {} })).toMatchObject({ workers: 0, firstSuperuser: undefined, listCacheTtlMs: 2000, itemCacheTtlMs: 10_000, cacheRedisPrefix: "velox-reference:cache:" });
    expect(loadSettings({ ...quiet, env: { ITEM_CACHE_TTL_MS: "0" } }).itemCacheTtlMs).toBe(0);
    expect(loadSettings({ ...quiet, env: { LIST_CACHE_TTL_MS: "0" } }).listCacheTtlMs).toBe(0);
    const full = { FIRST_SUPERUSER: "root", FIRST_SUPERUSER_EMAIL: "root@example.com", FIRST_SUPERUSER_PASSWORD: "root-password" };
    expect(loadSettings({ ...quiet, env: { ...full, WORKERS: "4" } })).toMatchObject({
      workers: 4,
      firstSuperuser: { username: "root", email: "root@example.com", password: "root-password" },
    });
    const partial = () => loadSettings({ ...quiet, env: { FIRST_SUPERUSER: "root" } });
    expect(partial).toThrow(/FIRST_SUPERUSER_EMAIL: missing\n {2}- FIRST_SUPERUSER_PASSWORD: missing/);
    expect(() => loadSettings({ ...quiet, env: { WORKERS: "-1" } })).toThrow(/WORKERS/);
  });
});
