import { afterAll, beforeAll, beforeEach } from "vitest";
import { serve, type ServeOptions, type ServerHandle } from "velox/server";
import { createApp } from "../app.ts";
import { SCOPES } from "../auth/scopes.ts";
import { createServices, type Services } from "../services.ts";
import { testJobsEngine, testSettings } from "./app-harness.ts";
import { describeEachDatabase, type TestDatabase } from "./databases.ts";

/** What a suite of {@link describeEachLiveApp} gets: the app behind a real socket, and a superuser. */
export interface LiveApp {
  readonly dialect: TestDatabase["dialect"];
  readonly port: number;
  readonly url: string;
  readonly services: Services;
  /** `Bearer …` of a superuser holding every scope (created once per suite). */
  readonly bearer: string;
}

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

/**
 * Declares a suite that serves the whole reference app with `velox/server` (node's HTTP parser,
 * the production limits and client-error handling) on SQLite and on PostgreSQL, for tests that
 * speak raw bytes over a socket. Tables are emptied before each test; the superuser is recreated.
 *
 * @example
 * ```ts
 * describeEachLiveApp("raw requests", (t) => {
 *   it("answers", async () => expect((await rawRequest(t.port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n")).status).toBe(200));
 * });
 * ```
 */
export function describeEachLiveApp(title: string, body: (t: LiveApp) => void, options: ServeOptions = {}): void {
  describeEachDatabase(title, (database) => {
    const state: { handle?: ServerHandle; services?: Services; bearer?: string; jobs?: ReturnType<typeof testJobsEngine> } = {};
    const need = <T>(value: T | undefined): T => {
      if (value === undefined) throw new Error("the live app is not started");
      return value;
    };
    beforeAll(async () => {
      state.jobs = testJobsEngine(database.dialect);
      const app = createApp({
        settings: testSettings(),
        logger: false,
        jobsEngine: state.jobs.engine,
        openServices: (s) => createServices(s, { database: { db: database.db, dialect: database.dialect, close: () => Promise.resolve() } }),
      });
      state.handle = await serve(app, { port: 0, workers: 0, handleSignals: false, logger: quiet, ...options });
      state.services = app.state.services as Services;
    });
    afterAll(async () => {
      await state.handle?.shutdown();
      await state.jobs?.cleanup();
    });
    // describeEachDatabase empties the tables before each test: a fresh superuser each time.
    const login = async (): Promise<string> => {
      const services = need(state.services);
      const password = "root-password-123";
      await services.users.create({ username: "root", email: "root@example.com", hashedPassword: await services.passwords.hash(password), isSuperuser: true, scopes: Object.keys(SCOPES) });
      const res = await fetch(`${need(state.handle).url}/auth/token`, { method: "POST", body: new URLSearchParams({ username: "root", password, scope: Object.keys(SCOPES).join(" ") }) });
      return `Bearer ${((await res.json()) as { access_token: string }).access_token}`;
    };
    const t: LiveApp = {
      dialect: database.dialect,
      get port() {
        return need(state.handle).port;
      },
      get url() {
        return need(state.handle).url;
      },
      get services() {
        return need(state.services);
      },
      get bearer() {
        return need(state.bearer);
      },
    };
    // Registered after describeEachDatabase's own beforeEach, which empties the tables first.
    beforeEach(async () => {
      state.bearer = await login();
    });
    body(t);
  });
}
