/**
 * `.env.example` and the settings table of docs/reference-app.md list exactly the variables
 * `loadSettings()` reads, and the seed's `Settings` fields all have a variable.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadSettings, SETTINGS_VARIABLES } from "./settings.ts";

const EXAMPLE = fileURLToPath(new URL("../.env.example", import.meta.url));
const DOCS = fileURLToPath(new URL("../../../docs/reference-app.md", import.meta.url));

/** `KEY=value` (set in the example) and `# KEY=value` (optional, shown commented out). */
function exampleKeys(text: string): { set: string[]; commented: string[] } {
  const set: string[] = [];
  const commented: string[] = [];
  for (const line of text.split("\n")) {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=/.exec(line);
    if (match) (match[1] ? commented : set).push(match[2]!);
  }
  return { set, commented };
}

describe(".env.example", () => {
  const { set, commented } = exampleKeys(readFileSync(EXAMPLE, "utf8"));

  it("lists every variable loadSettings reads, once, and nothing else", () => {
    const all = [...set, ...commented];
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...SETTINGS_VARIABLES].sort());
  });

  it("loads as it is, with the app's own .env parser", () => {
    const settings = loadSettings({ env: {}, envFile: EXAMPLE, warn: () => undefined });
    expect(settings).toMatchObject({ appName: "Velox reference app", debug: false, port: 8000, jwt: { algorithm: "HS256", accessTtlSeconds: 900 } });
  });
});

describe("the seed's Settings", () => {
  // The seed's field → this app's variable.
  const SEED = {
    app_name: "APP_NAME",
    debug: "DEBUG",
    database_url: "DATABASE_URL",
    redis_url: "REDIS_URL",
    secret_key: "JWT_SECRET",
    algorithm: "JWT_ALGORITHM",
    access_token_expire_minutes: "ACCESS_TOKEN_TTL_SECONDS",
    refresh_token_expire_days: "REFRESH_TOKEN_TTL_SECONDS",
    cors_origins: "BACKEND_CORS_ORIGINS",
  };

  it("has a variable for every field", () => {
    for (const variable of Object.values(SEED)) expect(SETTINGS_VARIABLES).toContain(variable);
  });

  it("reads each of them", () => {
    const settings = loadSettings({
      envFile: false,
      warn: () => undefined,
      env: {
        APP_NAME: "Shop",
        DEBUG: "true",
        DATABASE_URL: "postgres://u:p@db:5432/shop",
        REDIS_URL: "redis://cache:6379",
        JWT_SECRET: "s".repeat(40),
        JWT_ALGORITHM: "HS512",
        ACCESS_TOKEN_TTL_SECONDS: "60",
        REFRESH_TOKEN_TTL_SECONDS: "3600",
        BACKEND_CORS_ORIGINS: "https://a.example, https://b.example/",
      },
    });
    expect(settings).toMatchObject({
      appName: "Shop",
      debug: true,
      databaseUrl: "postgres://u:p@db:5432/shop",
      redisUrl: "redis://cache:6379",
      jwt: { secret: "s".repeat(40), algorithm: "HS512", accessTtlSeconds: 60, refreshTtlSeconds: 3600 },
      corsOrigins: ["https://a.example", "https://b.example"],
    });
  });

  it("refuses DEBUG in production and an algorithm outside the HMAC list", () => {
    const base = { NODE_ENV: "production", JWT_SECRET: "s".repeat(40) };
    expect(() => loadSettings({ envFile: false, env: { ...base, DEBUG: "true" } })).toThrow(/DEBUG: must be false in production/);
    expect(() => loadSettings({ envFile: false, env: { ...base, JWT_ALGORITHM: "none" } })).toThrow(/JWT_ALGORITHM/);
    expect(() => loadSettings({ envFile: false, env: { ...base, JWT_ALGORITHM: "RS256" } })).toThrow(/JWT_ALGORITHM/);
  });
});

describe("docs/reference-app.md", () => {
  it("documents every variable in its settings table", () => {
    const docs = readFileSync(DOCS, "utf8");
    const missing = SETTINGS_VARIABLES.filter((v) => !docs.includes(`\`${v}\``));
    expect(missing).toEqual([]);
  });
});
