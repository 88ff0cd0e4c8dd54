import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import type PgBossType from "pg-boss";
import type { ClaimedJob, FailedJob, JobEngine, NewJob } from "./engine.ts";
import { JobError, type StoredError } from "./errors.ts";
import { importOptionalPeer } from "../optional-peer.ts";

/** Options of {@link pgBossEngine}. */
export interface PgBossEngineOptions {
  /** `postgres://…` of the database (pg-boss opens its own pool). */
  connectionString: string;
  /** Schema pg-boss creates and migrates (default `pgboss`). */
  schema?: string;
  /** Pool size of pg-boss's own connections (default 4). */
  max?: number;
  /**
   * pg-boss has no heartbeat: a job's lease is fixed when it starts, and is its timeout plus this
   * many seconds (default 10). A killed worker's job runs again once the lease passed and
   * pg-boss's maintenance (below) noticed.
   */
  leaseGraceSeconds?: number;
  /** How often pg-boss fails expired attempts and archives old jobs (default 30 s). */
  maintenanceIntervalSeconds?: number;
  /** How long completed jobs (and so their idempotency keys) stay in the job table (default 12 h). */
  archiveCompletedAfterSeconds?: number;
  /** How long dead-lettered jobs stay listable and retryable (default 14 days). */
  archiveFailedAfterSeconds?: number;
}

const SCHEMA = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID derived from (job name, idempotency key): pg-boss's primary key makes it the dedupe. */
function keyId(name: string, key: string): string {
  const hex = createHash("sha256").update(`${name}\u0000${key}`).digest("hex");
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

type Executor = { executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }> };

/** A `pg` client or pool, or a Kysely transaction, as pg-boss's `db` option. */
async function executorOf(transaction: unknown): Promise<Executor> {
  const t = transaction as { query?: unknown; executeQuery?: unknown } | null;
  if (t !== null && typeof t === "object" && typeof t.executeQuery === "function") {
    const { CompiledQuery } = await importOptionalPeer("kysely", "enqueue inside a Kysely transaction (velox/jobs)", () => import("kysely"));
    const trx = transaction as { executeQuery(q: unknown): Promise<{ rows: any[] }> };
    return { executeSql: async (text, values = []) => ({ rows: (await trx.executeQuery(CompiledQuery.raw(text, values))).rows }) };
  }
  if (t !== null && typeof t === "object" && typeof t.query === "function") {
    const client = transaction as { query(text: string, values?: unknown[]): Promise<{ rows: any[] }> };
    return { executeSql: (text, values) => client.query(text, values) };
  }
  throw new JobError("VX_JOB_INVALID_OPTION", "transaction must be a pg client (PoolClient) inside BEGIN, or a Kysely transaction");
}

/**
 * PostgreSQL jobs on pg-boss 10: `SKIP LOCKED` claims, retries with exponential backoff and
 * jitter, a dead-letter state, and enqueueing inside your own transaction (the outbox pattern:
 * the job exists if and only if your data change commits). Many workers on many hosts.
 *
 * @example
 * ```ts
 * import { createJobs, pgBossEngine } from "velox/jobs";
 * const jobs = createJobs({ engine: pgBossEngine({ connectionString: process.env.DATABASE_URL! }), jobs: [sendWelcome] });
 *
 * const client = await pool.connect();
 * await client.query("BEGIN");
 * const { rows } = await client.query("INSERT INTO users (email) VALUES ($1) RETURNING id", [email]);
 * await jobs.enqueue(sendWelcome, { userId: rows[0].id }, { transaction: client });
 * await client.query("COMMIT");
 * ```
 */
export function pgBossEngine(options: PgBossEngineOptions): JobEngine {
  return new PgBossEngine(options);
}

class PgBossEngine implements JobEngine {
  readonly kind = "pg-boss";
  readonly renewsLeases = false;
  private boss: PgBossType | null = null;
  private starting: Promise<PgBossType> | null = null;
  private readonly schema: string;
  private readonly wake = new EventEmitter();
  private readonly known = new Set<string>();
  private closed = false;

  constructor(private readonly options: PgBossEngineOptions) {
    if (!options || typeof options.connectionString !== "string") throw new JobError("VX_JOB_INVALID_OPTION", "pgBossEngine() needs a connectionString");
    this.schema = options.schema ?? "pgboss";
    if (!SCHEMA.test(this.schema)) throw new JobError("VX_JOB_INVALID_OPTION", `pgBossEngine(): bad schema name ${JSON.stringify(this.schema)}`);
    this.wake.setMaxListeners(0);
  }

  private start(): Promise<PgBossType> {
    if (this.closed) return Promise.reject(new JobError("VX_JOB_CLOSED", "the pg-boss job engine is closed"));
    this.starting ??= (async () => {
      const { default: PgBoss } = await importOptionalPeer("pg-boss", "pgBossEngine (velox/jobs)", () => import("pg-boss"));
      const boss = new PgBoss({
        connectionString: this.options.connectionString,
        schema: this.schema,
        max: this.options.max ?? 4,
        schedule: false,
        supervise: true,
        migrate: true,
        maintenanceIntervalSeconds: this.options.maintenanceIntervalSeconds ?? 30,
        archiveCompletedAfterSeconds: this.options.archiveCompletedAfterSeconds ?? 12 * 3600,
        archiveFailedAfterSeconds: this.options.archiveFailedAfterSeconds ?? 14 * 86_400,
      });
      boss.on("error", () => undefined); // surfaced through the calls that fail
      await boss.start();
      this.boss = boss;
      return boss;
    })().catch((err: unknown) => {
      this.starting = null;
      throw err;
    });
    return this.starting;
  }

  private async sql(text: string, values: unknown[] = []): Promise<any[]> {
    const boss = await this.start();
    const db = (boss as unknown as { getDb(): Executor }).getDb();
    return (await db.executeSql(text, values)).rows;
  }

  async prepare(names: readonly string[]): Promise<void> {
    const boss = await this.start();
    for (const name of names) {
      if (this.known.has(name)) continue;
      await createQueueOnce(boss, name);
      this.known.add(name);
    }
  }

  async add(job: NewJob, transaction?: unknown): Promise<{ id: string; duplicate: boolean }> {
    const boss = await this.start();
    const fixedId = job.idempotencyKey === undefined ? undefined : keyId(job.name, job.idempotencyKey);
    const delaySeconds = Math.round(job.backoff.baseMs / 1000);
    const options: PgBossType.SendOptions & { db?: Executor } = {
      ...(fixedId ? { id: fixedId } : {}),
      startAfter: new Date(job.runAt),
      retryLimit: job.maxAttempts - 1,
      // pg-boss counts delays in whole seconds: a base under 0.5 s retries at once, anything else
      // backs off exponentially with jitter from the rounded base.
      retryDelay: delaySeconds,
      retryBackoff: delaySeconds > 0,
      expireInSeconds: Math.ceil(job.timeoutMs / 1000) + (this.options.leaseGraceSeconds ?? 10),
      ...(transaction === undefined ? {} : { db: await executorOf(transaction) }),
    };
    const id = await boss.send(job.name, job.payload as object, options);
    if (id === null) {
      if (!fixedId) throw new Error(`pg-boss did not add a job to "${job.name}"; does its queue exist?`);
      return { id: fixedId, duplicate: true };
    }
    if (transaction === undefined && job.runAt <= Date.now()) this.wake.emit("wake", job.name);
    return { id, duplicate: false };
  }

  async claim(name: string, limit: number): Promise<ClaimedJob[]> {
    const boss = await this.start();
    const jobs = await boss.fetch<unknown>(name, { batchSize: limit, includeMetadata: true });
    return jobs.map((job) => ({
      id: job.id,
      name: job.name,
      payload: job.data,
      attempt: job.retryCount + 1,
      maxAttempts: job.retryLimit + 1,
      dueAt: new Date(job.startAfter).getTime(),
    }));
  }

  async complete(job: ClaimedJob): Promise<void> {
    const boss = await this.start();
    await boss.complete(job.name, job.id);
  }

  async fail(job: ClaimedJob, error: StoredError, final: boolean): Promise<void> {
    const boss = await this.start();
    if (final && job.attempt < job.maxAttempts) {
      // pg-boss would retry while retry_count < retry_limit: spend the rest first.
      await this.sql(`UPDATE ${this.schema}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2 AND state = 'active'`, [job.name, job.id]);
    }
    await boss.fail(job.name, job.id, { ...error });
  }

  async release(job: ClaimedJob): Promise<void> {
    // Back to "created" with started_on cleared, so pg-boss's next fetch does not count an attempt.
    const rows = await this.sql(
      `UPDATE ${this.schema}.job SET state = 'created', started_on = NULL, start_after = now() WHERE name = $1 AND id = $2 AND state = 'active' RETURNING id`,
      [job.name, job.id],
    );
    if (rows.length === 1) this.wake.emit("wake", job.name);
  }

  async listFailed(options: { name?: string; limit?: number } = {}): Promise<FailedJob[]> {
    const rows = await this.sql(
      `SELECT id, name, data, retry_count, output, completed_on, created_on FROM ${this.schema}.job
       WHERE state = 'failed' AND ($1::text IS NULL OR name = $1) ORDER BY completed_on DESC, id LIMIT $2`,
      [options.name ?? null, options.limit ?? 100],
    );
    return rows.map((row: { id: string; name: string; data: unknown; retry_count: number; output: StoredError | null; completed_on: Date | null; created_on: Date | null }) => ({
      id: row.id,
      name: row.name,
      payload: row.data,
      attempts: row.retry_count + 1,
      error: row.output,
      failedAt: row.completed_on,
      createdAt: row.created_on,
    }));
  }

  async retryFailed(id: string): Promise<string | null> {
    if (!UUID.test(id)) return null;
    const rows = await this.sql(`SELECT name FROM ${this.schema}.job WHERE id = $1 AND state = 'failed'`, [id]);
    const name = (rows[0] as { name: string } | undefined)?.name;
    if (name === undefined) return null;
    const boss = await this.start();
    // Typed as void in pg-boss 10's .d.ts; the implementation answers its usual command response.
    const result = (await boss.retry(name, id)) as unknown as { affected?: number } | undefined;
    if (result?.affected !== 1) return null;
    this.wake.emit("wake", name);
    return name;
  }

  onWake(listener: (name: string) => void): () => void {
    this.wake.on("wake", listener);
    return () => this.wake.off("wake", listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const boss = await this.starting?.catch(() => null);
    await boss?.stop({ graceful: false, wait: true, close: true });
  }
}

/** PostgreSQL's `deadlock_detected`: one of the transactions was rolled back and may be retried. */
const DEADLOCK = "40P01";
const CREATE_ATTEMPTS = 5;

/**
 * Creates a queue unless it exists. Workers booting at the same moment on a fresh database race
 * here: pg-boss's `createQueue` (a partition of its job table) can deadlock with the other
 * process's, or fail because the other one created it first. A deadlock is retried after a
 * short random pause, by which time the other transaction has usually committed the queue.
 */
async function createQueueOnce(boss: PgBossType, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (await boss.getQueue(name)) return;
    try {
      await boss.createQueue(name, { name, policy: "standard" });
      return;
    } catch (err) {
      if (await boss.getQueue(name)) return;
      if ((err as { code?: unknown }).code !== DEADLOCK || attempt >= CREATE_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80 * attempt));
    }
  }
}
