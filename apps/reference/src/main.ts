// `npm start -w apps/reference` (the root `npm start`): serves the reference app with velox/server.
// Works with no configuration: SQLite under apps/reference/data/, a generated development JWT secret.
import cluster from "node:cluster";
import { serve } from "velox/server";
import { startOtlpTracing } from "velox/tracing/otlp";
import { SettingsError } from "velox/settings";
import { createApp } from "./app.ts";
import { openDatabase } from "./db/connect.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { loadSettings, type AppSettings } from "./settings.ts";
import { cacheCheck, databaseCheck } from "./web/readiness.ts";

function loadOrExit(): AppSettings {
  try {
    return loadSettings();
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** In a cluster primary: migrate once, and give every worker the same JWT secret. */
async function prepareWorkers(settings: AppSettings): Promise<void> {
  if (settings.jwt.generated) process.env.JWT_SECRET = settings.jwt.secret;
  const database = openDatabase(settings.databaseUrl, { poolSize: 1 });
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
}

const settings = loadOrExit();
if (cluster.isPrimary && settings.workers > 0) await prepareWorkers(settings);
const app = createApp({ settings });
// Spans are made where requests are served: in each worker, or here without workers.
const serving = !cluster.isPrimary || settings.workers === 0;
const otlp = serving && settings.observability.otlpEndpoint !== undefined
  ? startOtlpTracing({ serviceName: "velox-reference", serviceVersion: "0.1.0", endpoint: settings.observability.otlpEndpoint })
  : null;
if (otlp !== null) app.addHook("onClose", () => otlp.shutdown());
const handle = await serve(app, {
  host: settings.host,
  port: settings.port,
  workers: settings.workers,
  trustProxy: settings.server.trustProxy,
  shutdownTimeoutMs: settings.server.shutdownTimeoutMs,
  readinessChecks: [databaseCheck(app), cacheCheck(app), app.state.chatHub.readinessCheck("chat-hub")],
});
if (handle.role !== "worker") console.log(`Velox reference app on ${handle.url} — docs at ${handle.url}/docs`);
