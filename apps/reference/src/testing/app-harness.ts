import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { AddressInfo } from "node:net";
import type { Velox } from "velox";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { pgBossEngine, sqliteEngine, type JobEngine } from "velox/jobs";
import { TestClient, type TestResponse } from "velox/testing";
import { createApp } from "../app.ts";
import { SCOPES } from "../auth/scopes.ts";
import type { User } from "../repositories/rows.ts";
import { createServices, type Services } from "../services.ts";
import { loadSettings, type AppSettings } from "../settings.ts";
import { describeEachDatabase, TEST_POSTGRES_URL, type TestDatabase } from "./databases.ts";
import { countQueries } from "./query-counter.ts";

/**
 * The JWT secret test apps sign with (tests forge tokens with it).
 *
 * @example
 * ```ts
 * await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).sign(new TextEncoder().encode(TEST_JWT_SECRET));
 * ```
 */
export const TEST_JWT_SECRET = "reference-app-test-secret-0123456789abcdef";

/** Login limits no test reaches unless it means to. */
export const LOOSE_LOGIN_LIMITS = { LOGIN_RATE_LIMIT_PER_ADDRESS: "1000000", LOGIN_RATE_LIMIT_PER_USERNAME: "1000000" } as const;

/**
 * Settings for an app under test: a fixed JWT secret and, unless overridden, cheap Argon2id
 * parameters (8 MiB, 1 pass) so tests that register and log in many users stay fast.
 *
 * @example
 * ```ts
 * const settings = testSettings({ ACCESS_TOKEN_TTL_SECONDS: "1" });
 * ```
 */
export function testSettings(env: Record<string, string> = {}): AppSettings {
  return loadSettings({
    envFile: false,
    warn: () => undefined,
    // Suites log in far more often than people do; the suites about the login limits set their own.
    env: { NODE_ENV: "test", JWT_SECRET: TEST_JWT_SECRET, ARGON2_MEMORY_KIB: "8192", ARGON2_TIME_COST: "1", ...LOOSE_LOGIN_LIMITS, ...env },
  });
}

/**
 * A job engine of its own for one test app, and how to remove its storage afterwards: a SQLite
 * file in a temp folder, or a pg-boss schema on the test PostgreSQL server.
 *
 * @example
 * ```ts
 * const jobs = testJobsEngine("sqlite");
 * const app = createApp({ settings, jobsEngine: jobs.engine });
 * // … after app.close():
 * await jobs.cleanup();
 * ```
 */
export function testJobsEngine(dialect: TestDatabase["dialect"]): { engine: JobEngine; cleanup: () => Promise<void> } {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "velox-ref-jobs-"));
    return { engine: sqliteEngine({ path: join(dir, "jobs.db") }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `velox_jobs_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  return {
    engine: pgBossEngine({ connectionString: TEST_POSTGRES_URL, schema, max: 2, maintenanceIntervalSeconds: 1 }),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A registered user with a fresh token pair. */
export interface LoggedIn {
  user: User;
  password: string;
  access: string;
  refresh: string;
  /** `{ headers: { authorization: "Bearer <access>" } }` for the test client. */
  auth: { headers: Record<string, string> };
}

/** What a suite of {@link describeEachApp} gets: the client, the services and helpers. */
export interface TestApp {
  readonly client: TestClient;
  /** The app itself (e.g. `jobsOf(t.app)` for its job queue). */
  readonly app: Velox;
  readonly services: Services;
  readonly settings: AppSettings;
  readonly dialect: TestDatabase["dialect"];
  /** Database queries run so far by the app (to show a route's query count does not grow). */
  readonly queries: number;
  /** Creates a user directly (password hashed), then logs in over HTTP with the given scopes. */
  login(username: string, options?: { scopes?: readonly string[]; superuser?: boolean; isActive?: boolean; requestScopes?: readonly string[] }): Promise<LoggedIn>;
  /** `POST /auth/token` with the password form. */
  token(username: string, password: string, scope?: string): Promise<TestResponse>;
  /** The same app served on a real socket (started on first use, closed with the suite), for streams: its base URL. */
  url(): Promise<string>;
}

/**
 * Declares a suite that runs the whole app through the test client against SQLite and against
 * the real PostgreSQL server (see {@link describeEachDatabase}); tables are emptied before each test.
 *
 * @example
 * ```ts
 * describeEachApp("GET /users/me", (t) => {
 *   it("answers the current user", async () => {
 *     const alice = await t.login("alice");
 *     expect((await t.client.get("/users/me", alice.auth)).json().username).toBe("alice");
 *   });
 * });
 * ```
 */
export function describeEachApp(title: string, body: (t: TestApp) => void, env: Record<string, string> = {}): void {
  describeEachDatabase(title, (database) => {
    const state: { app?: Velox; client?: TestClient; services?: Services; counter?: { readonly count: number }; jobs?: ReturnType<typeof testJobsEngine>; url?: Promise<string> } = {};
    const settings = testSettings(env);
    const need = <T>(value: T | undefined): T => {
      if (value === undefined) throw new Error("the test app is not started");
      return value;
    };

    beforeAll(async () => {
      const counted = countQueries(database.db);
      state.counter = counted;
      state.jobs = testJobsEngine(database.dialect);
      const app = createApp({
        settings,
        logger: false,
        jobsEngine: state.jobs.engine,
        openServices: (s) => createServices(s, { database: { db: counted.db, dialect: database.dialect, close: () => Promise.resolve() } }),
      });
      state.app = app;
      state.client = new TestClient(app);
      await state.client.start();
      state.services = app.state.services as Services;
    });
    afterAll(async () => {
      await state.client?.close();
      await state.jobs?.cleanup();
    });
    // Views buffered by an earlier test must not land in the next one.
    beforeEach(() => state.services?.views.flush());

    const t: TestApp = {
      get app() {
        return need(state.app);
      },
      get client() {
        return need(state.client);
      },
      get services() {
        return need(state.services);
      },
      settings,
      dialect: database.dialect,
      get queries() {
        return need(state.counter).count;
      },
      url() {
        state.url ??= need(state.app).listen({ port: 0, host: "127.0.0.1" }).then((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        return state.url;
      },
      token(username, password, scope) {
        return need(state.client).post("/auth/token", { form: { username, password, ...(scope === undefined ? {} : { scope }) } });
      },
      async login(username, options = {}) {
        const services = need(state.services);
        const password = `pw-${username}-123`;
        const superuser = options.superuser ?? false;
        const user = await services.users.create({
          username,
          email: `${username}@example.com`,
          hashedPassword: await services.passwords.hash(password),
          isSuperuser: superuser,
          isActive: options.isActive ?? true,
          scopes: options.scopes ?? (superuser ? Object.keys(SCOPES) : ["read", "write"]),
        });
        const res = await t.token(username, password, options.requestScopes?.join(" "));
        const noHeaders: Record<string, string> = {};
        if (options.isActive === false) return { user, password, access: "", refresh: "", auth: { headers: noHeaders } };
        if (res.status !== 200) throw new Error(`login of ${username} failed: ${res.status} ${res.text}`);
        const { access_token: access, refresh_token: refresh } = res.json<{ access_token: string; refresh_token: string }>();
        return { user, password, access, refresh, auth: { headers: { authorization: `Bearer ${access}` } } };
      },
    };
    body(t);
  });
}
