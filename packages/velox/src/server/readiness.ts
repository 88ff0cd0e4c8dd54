import type { Logger } from "../logger.ts";

/**
 * A readiness check run by `/ready`: it passes when `check` resolves to anything but `false`
 * within `timeoutMs`. The signal aborts when the time is up, so a check can cancel its work.
 *
 * @example
 * ```ts
 * const db: ReadinessCheck = { name: "db", timeoutMs: 500, check: (signal) => pool.query({ text: "select 1", signal }) };
 * const cache: ReadinessCheck = { name: "cache", critical: false, check: () => redis.ping() };
 * ```
 */
export interface ReadinessCheck {
  name: string;
  check: (signal: AbortSignal) => unknown;
  /** Longest time the check may take (default 2000 ms). */
  timeoutMs?: number;
  /** A failing critical check (the default) turns readiness 503; others only report `degraded`. */
  critical?: boolean;
}

/**
 * The outcome of one check, as `/ready` reports it.
 *
 * @example
 * ```ts
 * const result: CheckResult = { status: "timeout", durationMs: 500 };
 * ```
 */
export interface CheckResult {
  status: "ok" | "fail" | "timeout";
  durationMs: number;
}

/**
 * The outcome of all checks: `ready` is false when a critical check failed, `degraded` when an
 * optional one did.
 *
 * @example
 * ```ts
 * const report: ReadinessReport = await readiness.run();
 * if (!report.ready) console.log(report.checks);
 * ```
 */
export interface ReadinessReport {
  ready: boolean;
  degraded: boolean;
  checks: Record<string, CheckResult>;
}

async function runOne(check: ReadinessCheck, logger: Logger): Promise<CheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), check.timeoutMs ?? 2_000);
  });
  let status: CheckResult["status"];
  try {
    const outcome = await Promise.race([Promise.resolve().then(() => check.check(controller.signal)), timedOut]);
    status = outcome === "timeout" ? "timeout" : outcome === false ? "fail" : "ok";
  } catch (err) {
    logger.warn({ err, check: check.name }, "readiness check failed");
    status = "fail";
  } finally {
    clearTimeout(timer);
  }
  if (status === "timeout") {
    controller.abort(new Error(`readiness check "${check.name}" timed out`));
    logger.warn({ check: check.name, timeoutMs: check.timeoutMs ?? 2_000 }, "readiness check timed out");
  }
  return { status, durationMs: Math.round(performance.now() - started) };
}

/**
 * Runs readiness checks in parallel. Probes that arrive while a run is in progress share it, so
 * a burst of probes never multiplies the load on a database.
 *
 * @example
 * ```ts
 * const readiness = new Readiness([{ name: "db", check: () => db.ping() }], logger);
 * const report = await readiness.run(); // { ready: true, degraded: false, checks: { db: { status: "ok", durationMs: 1 } } }
 * ```
 */
export class Readiness {
  private inFlight: Promise<ReadinessReport> | null = null;

  constructor(
    private readonly checks: readonly ReadinessCheck[],
    private readonly logger: Logger,
  ) {}

  run(): Promise<ReadinessReport> {
    this.inFlight ??= this.runAll().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async runAll(): Promise<ReadinessReport> {
    const results = await Promise.all(this.checks.map((c) => runOne(c, this.logger)));
    const report: ReadinessReport = { ready: true, degraded: false, checks: {} };
    this.checks.forEach((check, i) => {
      const result = results[i]!;
      report.checks[check.name] = result;
      if (result.status === "ok") return;
      if (check.critical === false) report.degraded = true;
      else report.ready = false;
    });
    return report;
  }
}
