import { EventEmitter } from "node:events";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type BetterSqlite3 from "better-sqlite3";
import { backoffDelay, type BackoffPolicy } from "./backoff.ts";
import type { ClaimedJob, ClaimOptions, FailedJob, JobEngine, NewJob } from "./engine.ts";
import { JobError, type StoredError } from "./errors.ts";
import { importOptionalPeer } from "../optional-peer.ts";

/** Options of {@link sqliteEngine}: a file path, or the app's open better-sqlite3 database. */
export interface SqliteEngineOptions {
  /** The SQLite file (opened with WAL). Give `database` instead to share the app's connection. */
  path?: string;
  /** An open better-sqlite3 database (the app's); the engine never closes it. */
  database?: BetterSqlite3.Database;
  /** Table name (default `velox_jobs`). */
  table?: string;
  /** How long completed jobs (and so their idempotency keys) are kept (default 24 h). */
  keepCompletedMs?: number;
  /**
   * A job whose lease expired while its worker process is still alive (a CPU-bound handler
   * blocking its event loop) is left alone, so it never runs twice at once — until the lease
   * is this much overdue; then the worker is presumed wedged and the job is taken (default 1 h).
   */
  abandonAfterMs?: number;
}

interface Row {
  id: number;
  name: string;
  payload: string;
  state: "queued" | "running" | "done" | "failed";
  attempts: number;
  max_attempts: number;
  backoff: string;
  run_at: number;
  lease_owner: string | null;
  lease_pid: number | null;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** True on Bun, where better-sqlite3 (a V8 addon) cannot load and `bun:sqlite` takes its place. */
const onBun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";

/**
 * Opens the file with better-sqlite3, or on Bun with `bun:sqlite`, whose database has the same
 * `prepare`/`get`/`all`/`run`/`exec`/`transaction(...).immediate()` surface this engine uses (its
 * `get` answers null for no row, which the engine treats like undefined).
 */
async function openFile(path: string): Promise<BetterSqlite3.Database> {
  // A fresh checkout has no data folder yet; the queue file is created like the app's own database.
  if (path !== ":memory:" && !path.startsWith("file:")) mkdirSync(dirname(path), { recursive: true });
  if (onBun) {
    const specifier = "bun:sqlite";
    const { Database } = (await import(specifier)) as { Database: new (path: string, options: { create: boolean; strict: boolean }) => unknown };
    return new Database(path, { create: true, strict: true }) as BetterSqlite3.Database;
  }
  const { default: Database } = await importOptionalPeer("better-sqlite3", "sqliteEngine (velox/jobs)", () => import("better-sqlite3"));
  return new Database(path);
}
const HOST = hostname();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The embedded engine: jobs in a table of the app's SQLite database (better-sqlite3 on Node,
 * `bun:sqlite` on Bun), leased with a heartbeat, so
 * they survive restarts and crashes. **Single node**: every worker must run on the same host as
 * the file (it checks a lease holder's PID to tell a dead worker from a busy one). For several
 * hosts, use PostgreSQL (`pgBossEngine`).
 *
 * @example
 * ```ts
 * import { createJobs, sqliteEngine } from "velox/jobs";
 * const jobs = createJobs({ engine: sqliteEngine({ path: "data/app.db" }), jobs: [sendWelcome] });
 * ```
 */
export function sqliteEngine(options: SqliteEngineOptions): JobEngine {
  return new SqliteEngine(options);
}

class SqliteEngine implements JobEngine {
  readonly kind = "sqlite";
  readonly renewsLeases = true;
  private db: BetterSqlite3.Database | null = null;
  private readonly owned: boolean;
  private readonly table: string;
  private readonly owner = `${HOST}/${process.pid}/${randomBytes(6).toString("hex")}`;
  /** Jobs this engine instance holds leases on (its own expired leases are not reclaimed). */
  private readonly held = new Set<number>();
  private readonly wake = new EventEmitter();
  private readonly keepCompletedMs: number;
  private readonly abandonAfterMs: number;
  private lastPrune = 0;
  private opening: Promise<BetterSqlite3.Database> | null = null;
  private stmts: ReturnType<SqliteEngine["prepareStatements"]> | null = null;
  private closed = false;

  constructor(private readonly options: SqliteEngineOptions) {
    if (!options || (options.path === undefined) === (options.database === undefined)) {
      throw new JobError("VX_JOB_INVALID_OPTION", "sqliteEngine() takes exactly one of { path } or { database }");
    }
    this.table = options.table ?? "velox_jobs";
    if (!IDENT.test(this.table)) throw new JobError("VX_JOB_INVALID_OPTION", `sqliteEngine(): bad table name ${JSON.stringify(this.table)}`);
    this.owned = options.database === undefined;
    this.keepCompletedMs = options.keepCompletedMs ?? 24 * 3_600_000;
    this.abandonAfterMs = options.abandonAfterMs ?? 3_600_000;
    this.wake.setMaxListeners(0);
  }

  private open(): Promise<BetterSqlite3.Database> {
    this.opening ??= (async () => {
      let db = this.options.database;
      if (db === undefined) {
        db = await openFile(this.options.path!);
        // busy_timeout first: several processes (cluster workers) open the file at once, and even
        // switching to WAL needs a lock one of them may hold.
        for (const pragma of ["busy_timeout = 5000", "journal_mode = WAL", "synchronous = NORMAL"]) db.exec(`PRAGMA ${pragma}`);
      }
      const t = this.table;
      db.exec(`
        CREATE TABLE IF NOT EXISTS ${t} (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL,
          payload TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          max_attempts INTEGER NOT NULL,
          backoff TEXT NOT NULL,
          run_at INTEGER NOT NULL,
          idempotency_key TEXT,
          lease_owner TEXT,
          lease_pid INTEGER,
          lease_until INTEGER,
          last_error TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ${t}_key ON ${t} (name, idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ${t}_due ON ${t} (name, state, run_at);
      `);
      this.db = db;
      this.stmts = this.prepareStatements(db);
      return db;
    })();
    return this.opening;
  }

  private prepareStatements(db: BetterSqlite3.Database) {
    const t = this.table;
    return {
      insert: db.prepare(
        `INSERT INTO ${t} (name, payload, state, max_attempts, backoff, run_at, idempotency_key, created_at, updated_at)
         VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
      ),
      byKey: db.prepare(`SELECT id FROM ${t} WHERE name = ? AND idempotency_key = ?`),
      expired: db.prepare(`SELECT id, attempts, max_attempts, lease_owner, lease_pid, lease_until FROM ${t} WHERE name = ? AND state = 'running' AND lease_until <= ?`),
      requeue: db.prepare(`UPDATE ${t} SET state = 'queued', run_at = ?, lease_owner = NULL, lease_pid = NULL, lease_until = NULL, last_error = ?, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?`),
      bury: db.prepare(`UPDATE ${t} SET state = 'failed', lease_owner = NULL, lease_pid = NULL, lease_until = NULL, last_error = ?, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?`),
      claim: db.prepare(
        `UPDATE ${t} SET state = 'running', attempts = attempts + 1, lease_owner = ?, lease_pid = ?, lease_until = ?, updated_at = ?
         WHERE id IN (SELECT id FROM ${t} WHERE name = ? AND state = 'queued' AND run_at <= ? ORDER BY run_at, id LIMIT ?)
         RETURNING id, name, payload, attempts, max_attempts, run_at`,
      ),
      renew: db.prepare(`UPDATE ${t} SET lease_until = ?, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?`),
      complete: db.prepare(`UPDATE ${t} SET state = 'done', lease_owner = NULL, lease_pid = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?`),
      release: db.prepare(`UPDATE ${t} SET state = 'queued', attempts = attempts - 1, run_at = ?, lease_owner = NULL, lease_pid = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?`),
      backoffOf: db.prepare(`SELECT backoff FROM ${t} WHERE id = ?`),
      failed: db.prepare(`SELECT id, name, payload, attempts, last_error, created_at, updated_at FROM ${t} WHERE state = 'failed' AND (? IS NULL OR name = ?) ORDER BY updated_at DESC, id DESC LIMIT ?`),
      retry: db.prepare(`UPDATE ${t} SET state = 'queued', max_attempts = attempts + 1, run_at = ?, updated_at = ? WHERE id = ? AND state = 'failed' RETURNING name`),
      prune: db.prepare(`DELETE FROM ${t} WHERE state = 'done' AND updated_at < ?`),
    };
  }

  private async ready() {
    if (this.closed) throw new JobError("VX_JOB_CLOSED", "the SQLite job engine is closed");
    await this.open();
    return this.stmts!;
  }

  async prepare(): Promise<void> {
    await this.ready();
  }

  async add(job: NewJob, transaction?: unknown): Promise<{ id: string; duplicate: boolean }> {
    if (transaction !== undefined) {
      throw new JobError("VX_JOB_INVALID_OPTION", "the SQLite engine does not enqueue inside a caller's transaction; use a PostgreSQL engine for the outbox pattern");
    }
    const s = await this.ready();
    const now = Date.now();
    const key = job.idempotencyKey ?? null;
    const row = s.insert.get(job.name, JSON.stringify(job.payload), job.maxAttempts, JSON.stringify(job.backoff), job.runAt, key, now, now) as { id: number } | undefined;
    if (row) {
      if (job.runAt <= now) this.wake.emit("wake", job.name);
      return { id: String(row.id), duplicate: false };
    }
    const existing = s.byKey.get(job.name, key) as { id: number } | undefined;
    if (!existing) throw new Error("SQLite job insert was ignored but no job holds its idempotency key");
    return { id: String(existing.id), duplicate: true };
  }

  async claim(name: string, limit: number, options: ClaimOptions): Promise<ClaimedJob[]> {
    const s = await this.ready();
    const db = this.db!;
    const now = Date.now();
    const rows = db.transaction(() => {
      this.reclaim(s, name, now);
      return s.claim.all(this.owner, process.pid, now + options.leaseMs, now, name, now, limit) as Pick<Row, "id" | "name" | "payload" | "attempts" | "max_attempts" | "run_at">[];
    }).immediate();
    if (now - this.lastPrune > 60_000) {
      this.lastPrune = now;
      s.prune.run(now - this.keepCompletedMs);
    }
    return rows.map((row) => {
      this.held.add(row.id);
      return { id: String(row.id), name: row.name, payload: JSON.parse(row.payload) as unknown, attempt: row.attempts, maxAttempts: row.max_attempts, dueAt: row.run_at };
    });
  }

  /** Expired leases of dead workers go back to the queue (the crash counts as an attempt). */
  private reclaim(s: NonNullable<SqliteEngine["stmts"]>, name: string, now: number): void {
    const expired = s.expired.all(name, now) as Pick<Row, "id" | "attempts" | "max_attempts" | "lease_owner" | "lease_pid" | "lease_until">[];
    for (const row of expired) {
      const owner = row.lease_owner ?? "";
      if (owner === this.owner && this.held.has(row.id)) continue;
      const sameHost = owner.startsWith(`${HOST}/`);
      const overdue = now - (row.lease_until ?? 0);
      if (sameHost && row.lease_pid !== null && alive(row.lease_pid) && overdue < this.abandonAfterMs) continue;
      const error: StoredError = { name: "LeaseExpired", message: `the worker holding attempt ${row.attempts} (${owner}) stopped without finishing it` };
      if (row.attempts >= row.max_attempts) s.bury.run(JSON.stringify(error), now, row.id, owner);
      else s.requeue.run(now, JSON.stringify(error), now, row.id, owner);
    }
  }

  async renew(job: ClaimedJob, options: ClaimOptions): Promise<boolean> {
    const s = await this.ready();
    const now = Date.now();
    return s.renew.run(now + options.leaseMs, now, Number(job.id), this.owner).changes === 1;
  }

  async complete(job: ClaimedJob): Promise<void> {
    const s = await this.ready();
    this.held.delete(Number(job.id));
    s.complete.run(Date.now(), Number(job.id), this.owner);
  }

  async fail(job: ClaimedJob, error: StoredError, final: boolean): Promise<void> {
    const s = await this.ready();
    const id = Number(job.id);
    this.held.delete(id);
    const now = Date.now();
    if (final) {
      s.bury.run(JSON.stringify(error), now, id, this.owner);
      return;
    }
    const stored = s.backoffOf.get(id) as { backoff: string } | undefined;
    const policy = stored ? (JSON.parse(stored.backoff) as BackoffPolicy) : { baseMs: 1_000, maxMs: 3_600_000, jitter: "full" as const };
    s.requeue.run(now + backoffDelay(job.attempt, policy), JSON.stringify(error), now, id, this.owner);
  }

  async release(job: ClaimedJob): Promise<void> {
    const s = await this.ready();
    this.held.delete(Number(job.id));
    const now = Date.now();
    if (s.release.run(now, now, Number(job.id), this.owner).changes === 1) this.wake.emit("wake", job.name);
  }

  async listFailed(options: { name?: string; limit?: number } = {}): Promise<FailedJob[]> {
    const s = await this.ready();
    const name = options.name ?? null;
    const rows = s.failed.all(name, name, options.limit ?? 100) as Row[];
    return rows.map((row) => ({
      id: String(row.id),
      name: row.name,
      payload: JSON.parse(row.payload) as unknown,
      attempts: row.attempts,
      error: row.last_error === null ? null : (JSON.parse(row.last_error) as StoredError),
      failedAt: new Date(row.updated_at),
      createdAt: new Date(row.created_at),
    }));
  }

  async retryFailed(id: string): Promise<string | null> {
    if (!/^\d{1,15}$/.test(id)) return null;
    const s = await this.ready();
    const now = Date.now();
    const row = s.retry.get(now, now, Number(id)) as { name: string } | undefined;
    if (!row) return null;
    this.wake.emit("wake", row.name);
    return row.name;
  }

  onWake(listener: (name: string) => void): () => void {
    this.wake.on("wake", listener);
    return () => this.wake.off("wake", listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.opening?.catch(() => undefined);
    if (this.owned) this.db?.close();
    this.db = null;
  }
}
