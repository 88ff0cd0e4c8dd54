// `npm run fuzz -w apps/reference [-- --runs 20000 --seed 42 --db sqlite,postgres]`: the OpenAPI
// fuzz campaign of src/openapi-fuzz.test.ts, longer, on a temporary SQLite file and a temporary
// PostgreSQL schema (VELOX_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test).
// Prints one JSON line per database; exits 1 on the first 5xx or schema mismatch (with
// fast-check's counterexample and the seed to replay it).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { generateOpenAPI } from "velox";
import { TestClient } from "velox/testing";
import { createApp } from "../app.ts";
import { SCOPES } from "../auth/scopes.ts";
import { openDatabase, type AppDatabase } from "../db/connect.ts";
import { createServices, type Services } from "../services.ts";
import { loadSettings } from "../settings.ts";
import { fuzzApp, type FuzzReport } from "../testing/fuzz/fuzz-app.ts";
import type { OpenAPIDoc } from "../testing/fuzz/openapi-operations.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5000" }, seed: { type: "string" }, db: { type: "string", default: "sqlite,postgres" } } });
const runs = Number(values.runs);
const POSTGRES_URL = process.env.VELOX_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh database of each kind, and how to throw it away. */
async function temporaryDatabase(dialect: string): Promise<{ database: AppDatabase; drop: () => Promise<void> }> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "velox-fuzz-"));
    const database = openDatabase(`sqlite:${join(dir, "fuzz.db")}`);
    return { database, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `velox_fuzz_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin(`CREATE SCHEMA ${schema}`);
  const database = openDatabase(POSTGRES_URL, { searchPath: schema, poolSize: 4 });
  return { database, drop: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

async function campaign(dialect: string): Promise<FuzzReport & { dialect: string; seconds: number }> {
  const { database, drop } = await temporaryDatabase(dialect);
  const settings = loadSettings({
    envFile: false,
    warn: () => undefined,
    env: { NODE_ENV: "test", JWT_SECRET: randomBytes(32).toString("hex"), ARGON2_MEMORY_KIB: "8192", ARGON2_TIME_COST: "1" },
  });
  const app = createApp({ settings, logger: false, openServices: (s) => createServices(s, { database }) });
  const client = new TestClient(app);
  try {
    await client.start();
    const services = app.state.services as Services;
    const login = async (username: string, superuser: boolean) => {
      const password = `pw-${username}-123`;
      await services.users.create({
        username,
        email: `${username}@example.com`,
        hashedPassword: await services.passwords.hash(password),
        isSuperuser: superuser,
        scopes: superuser ? Object.keys(SCOPES) : ["read", "write"],
      });
      const res = await client.post("/auth/token", { form: { username, password, scope: superuser ? Object.keys(SCOPES).join(" ") : "read write" } });
      return { token: res.json<{ access_token: string }>().access_token, password };
    };
    const root = await login("root", true);
    const bob = await login("bob", false);
    for (let i = 0; i < 12; i++) await client.post("/items", { headers: { authorization: `Bearer ${root.token}` }, json: { title: `item ${i}`, price: i } });
    const doc = generateOpenAPI(app) as OpenAPIDoc;
    const started = performance.now();
    const report = await fuzzApp({
      doc,
      runs,
      ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
      credentials: { admin: root.token, user: bob.token, login: { username: "bob", password: bob.password } },
      send: async (request) => {
        const res = await client.request(request.method, request.url, { headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }) });
        return { status: res.status, headers: res.headers, text: res.text };
      },
    });
    return { dialect, ...report, seconds: Math.round((performance.now() - started) / 100) / 10 };
  } finally {
    await client.close();
    await database.close();
    await drop();
  }
}

let failed = false;
for (const dialect of (values.db ?? "").split(",").filter(Boolean)) {
  try {
    console.log(JSON.stringify(await campaign(dialect)));
  } catch (error) {
    failed = true;
    console.error(`[fuzz ${dialect}] ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exit(failed ? 1 : 0);
