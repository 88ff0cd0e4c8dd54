import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe } from "vitest";
import { postgresAnswers } from "../services/postgres-probe.ts";

/** The PostgreSQL the tests use; each test works in its own schema there, dropped afterwards. */
export const TEST_POSTGRES_URL = process.env.VELOX_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REQUIRED = process.env.VELOX_REQUIRE_SERVICES === "1";


export const postgresReachable = await postgresAnswers(TEST_POSTGRES_URL);
if (!postgresReachable && !REQUIRED) {
  console.warn(`\n[velox/jobs] PostgreSQL is unreachable at ${TEST_POSTGRES_URL}: its job tests are SKIPPED. Set VELOX_REQUIRE_SERVICES=1 (as CI does) to make that a failure.\n`);
}

/** `describe`, skipped with a warning when PostgreSQL is down — or failing when VELOX_REQUIRE_SERVICES=1. */
export function describePostgres(title: string, body: () => void): void {
  describe.skipIf(!postgresReachable && !REQUIRED)(title, () => {
    if (!postgresReachable) throw new Error(`PostgreSQL is required (VELOX_REQUIRE_SERVICES=1) but unreachable at ${TEST_POSTGRES_URL}`);
    body();
  });
}

/** A fresh schema name for one test. */
export function schemaName(prefix = "velox_jobs"): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
}

/** Runs one statement on a short-lived connection. */
export async function adminQuery(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/** The Redis the tests use; each test uses its own key prefix and removes its keys. */
export const TEST_REDIS_URL = process.env.VELOX_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function probeRedis(url: string): Promise<boolean> {
  const { createConnection } = await import("node:net");
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (chunk) => done(chunk.toString().startsWith("+PONG")));
  });
}

export const redisReachable = await probeRedis(TEST_REDIS_URL);
if (!redisReachable && !REQUIRED) {
  console.warn(`\n[velox/jobs] Redis is unreachable at ${TEST_REDIS_URL}: its job tests are SKIPPED. Set VELOX_REQUIRE_SERVICES=1 (as CI does) to make that a failure.\n`);
}

/** `describe`, skipped with a warning when Redis is down — or failing when VELOX_REQUIRE_SERVICES=1. */
export function describeRedis(title: string, body: () => void): void {
  describe.skipIf(!redisReachable && !REQUIRED)(title, () => {
    if (!redisReachable) throw new Error(`Redis is required (VELOX_REQUIRE_SERVICES=1) but unreachable at ${TEST_REDIS_URL}`);
    body();
  });
}
