import { fileURLToPath } from "node:url";
import { staticFiles, Velox, type Lifespan, type Logger } from "velox";
import { compress } from "velox/middleware/compress";
import { cors } from "velox/middleware/cors";
import { requestId } from "velox/middleware/request-id";
import { timing } from "velox/middleware/timing";
import type { Hub } from "velox/websocket";
import { createLogger } from "velox/logging";
import { createJobs, type JobEngine, type Jobs } from "velox/jobs";
import { ensureSuperuser } from "./bootstrap/superuser.ts";
import { createChatHub } from "./chat/hub.ts";
import { adminRouter } from "./routes/admin.ts";
import { chatRouter } from "./routes/chat.ts";
import { adminJobsRouter } from "./routes/admin-jobs.ts";
import { jobsEngineFor } from "./jobs/engine.ts";
import { APP_JOBS } from "./jobs/mail-jobs.ts";
import { loginLimits } from "./auth/login-limits.ts";
import { DatabaseTimeoutError, databaseTimeoutHandler } from "./db/timeouts.ts";
import { authRouter } from "./routes/auth.ts";
import { passwordResetRouter } from "./routes/password-reset.ts";
import { avatarsRouter } from "./routes/avatars.ts";
import { itemEventsRouter } from "./routes/item-events.ts";
import { itemsRouter } from "./routes/items.ts";
import { usersRouter } from "./routes/users.ts";
import { observability } from "./observability.ts";
import { createServices, type Services } from "./services.ts";
import type { AppSettings } from "./settings.ts";

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  settings: AppSettings;
  /** How the lifespan opens the services (default `createServices(settings)`); tests hand in their database. */
  openServices?: (settings: AppSettings) => Promise<Services>;
  /** Where the app logs (default: velox/logging's pino logger, JSON lines on stderr); `false` silences it. */
  logger?: Logger | false;
  /** The chat's hub (default: over `settings.redisUrl`, else in memory). */
  chatHub?: Hub;
  /** The job engine (default: from the settings, see `jobsEngineFor`); tests hand in an isolated one. */
  jobsEngine?: JobEngine;
}

const CHAT_PAGE = fileURLToPath(new URL("../static/chat", import.meta.url));

const DESCRIPTION = `The Velox reference application: the user system and the high-concurrency CRUD a FastAPI team
would build, on SQLite or PostgreSQL.

Click **Authorize**, enter a username and password (register one with \`POST /auth/register\` first)
and tick the scopes the token should carry: \`read\`, \`write\`, and \`admin\` for superusers.`;

/**
 * Builds the reference app: routers for auth, users, items and admin views, and a lifespan that
 * opens the database, migrates it, creates the first superuser when configured, and closes it all
 * at shutdown. Nothing is opened until the app starts (`serve()`, `listen()` or a test client).
 *
 * @example
 * ```ts
 * const app = createApp({ settings: loadSettings() });
 * await serve(app, { port: 8000, workers: 0 });
 * ```
 */
export function createApp(options: CreateAppOptions): Velox {
  const { settings } = options;
  let hub: Hub | null = null;
  const lifespan: Lifespan = async function* (app) {
    const services = await (options.openServices ?? ((s) => createServices(s, { logger: app.logger })))(settings);
    try {
      await ensureSuperuser(services, settings.firstSuperuser);
      await hub!.start();
      yield { services };
    } finally {
      await hub!.close();
      await services.close();
    }
  };
  const app = new Velox({
    title: settings.appName,
    version: "0.1.0",
    description: DESCRIPTION,
    lifespan,
    logger: options.logger ?? createLogger(settings.debug ? { level: "debug" } : {}),
    requestScope: true,
    openapi: {
      tags: [
        { name: "auth", description: "Accounts, login, token rotation and logout." },
        { name: "users", description: "Your account; user administration for superusers." },
        { name: "items", description: "Your items: CRUD, pagination, sorting, popularity." },
        { name: "admin", description: "Site-wide views for superusers." },
        { name: "chat", description: "Chat rooms: who is where (the rooms themselves are WebSockets, documented at /asyncapi)." },
      ],
      swaggerUiParameters: { persistAuthorization: true },
    },
  });
  // Every response: its request id echoed, X-Process-Time, CORS for the front end, gzip ≥ 1000 bytes.
  app
    .register(requestId())
    .register(timing({ header: "x-process-time" }))
    .register(cors({ allowOrigins: settings.corsOrigins, allowCredentials: true, allowMethods: ["*"], allowHeaders: ["*"] }))
    .register(compress({ encodings: ["gzip"], minimumSize: 1000 }));
  // A query past DATABASE_STATEMENT_TIMEOUT_MS (or a pool wait past DATABASE_CONNECT_TIMEOUT_MS): 503, not a 500.
  app.exceptionHandler(DatabaseTimeoutError, databaseTimeoutHandler);
  const jobs: Jobs = createJobs({ engine: options.jobsEngine ?? jobsEngineFor(settings), jobs: APP_JOBS });
  const limits = loginLimits(settings);
  app.addHook("onClose", () => limits.close());
  app.include(authRouter(settings, jobs, limits));
  app.include(passwordResetRouter(settings, jobs));
  app.include(adminJobsRouter(jobs));
  // Mail jobs run in the server processes unless JOBS_WORKER=false (then `velox worker src/entry.ts`).
  jobs.install(app, { worker: settings.jobs.worker });
  app.include(usersRouter());
  app.include(avatarsRouter());
  app.include(itemsRouter());
  app.include(itemEventsRouter());
  app.include(adminRouter());
  hub = options.chatHub ?? createChatHub(settings.redisUrl, app.logger, settings.chatRedisPrefix);
  app.state.chatHub = hub;
  app.include(chatRouter(hub));
  app.include(staticFiles(CHAT_PAGE, { prefix: "/chat" }));
  app.register(observability(settings, [limits.perAddress, limits.perUsername]));
  return app;
}
