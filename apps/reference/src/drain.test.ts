/**
 * The drain under load, end to end: `velox run src/velox-app.ts --workers 2` of the reference app
 * on a real database, `GET /items/{id}` from 16 keep-alive connections, then SIGTERM — to the
 * primary, and to the whole process group (Ctrl-C, systemd's default). No request the clients
 * sent may go unanswered (issue 12, defects 3 and 4); connects refused after the listener
 * closed are expected. `npm run drain -w apps/reference` repeats this for the figures.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { TEST_POSTGRES_URL } from "./testing/databases.ts";
import { drainRun, type DrainFigures } from "./testing/drain-run.ts";

const REQUIRED = process.env.VELOX_REQUIRE_SERVICES === "1";

async function adminQuery(text: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query(text);
    return true;
  } catch (error) {
    if (REQUIRED) throw error;
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const postgresUp = await adminQuery("SELECT 1");

function expectNoLoss(figures: DrainFigures): void {
  const summary = JSON.stringify(figures);
  expect(figures.failed, summary).toBe(0);
  expect(figures.answered, summary).toBeGreaterThan(50);
  expect(figures.exitCode, summary).toBe(0);
  expect(figures.workerExitCodes, summary).toEqual([0, 0]);
}

describe("the reference app drains under load", () => {
  it("[sqlite] SIGTERM to the primary: every request answered, exit 0", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "velox-drain-"));
    try {
      expectNoLoss(await drainRun({ target: "primary", databaseUrl: `sqlite:${join(dir, "app.db")}` }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!postgresUp)("[postgres] SIGTERM to the whole process group: every request answered, exit 0", { timeout: 120_000 }, async () => {
    const name = `velox_drain_${process.pid}_${randomBytes(3).toString("hex")}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    try {
      expectNoLoss(await drainRun({ target: "group", databaseUrl: TEST_POSTGRES_URL.replace(/\/[^/]*$/, `/${name}`) }));
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});
