// `npm run drain -w apps/reference [-- --runs 5 --db sqlite,postgres --connections 32]`: SIGTERM
// under load, to the primary and to the whole process group, of `velox run src/velox-app.ts
// --workers 2`; prints the figures of every run as a JSON line and a summary. Failed requests (a
// request sent and never answered, or a 5xx) must be 0; refused connects are the closed listener.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { drainRun, type DrainFigures, type DrainTarget } from "../testing/drain-run.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, db: { type: "string", default: "sqlite,postgres" }, connections: { type: "string", default: "32" } } });
const POSTGRES_URL = process.env.VELOX_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function withDatabase<T>(dialect: string, run: (url: string) => Promise<T>): Promise<T> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "velox-drain-"));
    try {
      return await run(`sqlite:${join(dir, "drain.db")}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const name = `velox_drain_${randomBytes(4).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  try {
    return await run(POSTGRES_URL.replace(/\/[^/]*$/, `/${name}`));
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

const all: (DrainFigures & { db: string })[] = [];
for (const db of (values.db ?? "").split(",").filter(Boolean)) {
  for (const target of ["primary", "group"] as DrainTarget[]) {
    for (let run = 0; run < Number(values.runs); run++) {
      const figures = await withDatabase(db, (databaseUrl) => drainRun({ target, databaseUrl, connections: Number(values.connections) }));
      all.push({ db, ...figures });
      console.log(JSON.stringify({ db, run, ...figures }));
    }
  }
}
const summary: Record<string, { runs: number; answered: number; failed: number; refused: number; nonZeroExits: number }> = {};
for (const f of all) {
  const key = `${f.db} ${f.target}`;
  const s = (summary[key] ??= { runs: 0, answered: 0, failed: 0, refused: 0, nonZeroExits: 0 });
  s.runs++;
  s.answered += f.answered;
  s.failed += f.failed;
  s.refused += f.refused;
  if (f.exitCode !== 0 || f.workerExitCodes.some((c) => c !== 0)) s.nonZeroExits++;
}
console.log(JSON.stringify({ summary }));
process.exit(all.some((f) => f.failed > 0 || f.exitCode !== 0) ? 1 : 0);
