import { availableParallelism } from "node:os";
import { VeloxError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { ReadinessCheck } from "./readiness.ts";
import type { TrustProxy } from "./trust-proxy.ts";

/**
 * Options of {@link serve}. Every limit has a production default; times are in milliseconds.
 *
 * @example
 * ```ts
 * await serve(app, {
 *   host: "0.0.0.0",
 *   port: 8000,
 *   workers: 4,
 *   keepAliveTimeout: 65_000, // above the load balancer's idle timeout (60 s on AWS ALB)
 *   limitConcurrency: 1000,
 *   trustProxy: 1,
 *   readinessChecks: [{ name: "db", check: () => pool.query("select 1"), timeoutMs: 1000 }],
 * });
 * ```
 */
export interface ServeOptions {
  /** Interface to listen on (default `127.0.0.1`; `0.0.0.0` in containers). */
  host?: string;
  /** TCP port (default 8000); 0 picks a free one. */
  port?: number;
  /**
   * Worker processes under a `node:cluster` primary (default `os.availableParallelism()`).
   * `0` serves in this process: no primary, no recycling, no reload.
   */
  workers?: number;
  /** Time allowed to receive a request's headers; slower clients get 408 (default 10 s). */
  headersTimeout?: number;
  /** Time allowed to receive a whole request, body included; slower clients get 408 (default 60 s). */
  requestTimeout?: number;
  /**
   * How long an idle keep-alive connection stays open (default 65 s). Behind a load balancer it
   * must exceed the balancer's idle timeout, or the balancer may reuse a connection the server is
   * closing and answer 502.
   */
  keepAliveTimeout?: number;
  /** How often timeouts are checked (default 1 s, node's is 30 s). */
  connectionsCheckingInterval?: number;
  /** Largest request head in bytes; beyond it the client gets 431 (default 16 KiB). */
  maxHeaderSize?: number;
  /**
   * Most header lines in a request; beyond it the client gets 431 (default 100, as Apache's
   * `LimitRequestFields`; 0 = no limit). `maxHeaderSize` alone lets thousands of tiny headers in.
   */
  maxHeadersCount?: number;
  /** Pending-connection queue of the listening socket (default 511). */
  backlog?: number;
  /** Open connections per process beyond which new ones are closed at once (default unlimited). */
  maxConnections?: number;
  /** Requests handled at once per process; beyond it 503 with `Retry-After` (default unlimited). */
  limitConcurrency?: number;
  /** Mean event-loop delay over a sample beyond which requests get 503 (default 1000 ms; 0 = off). */
  maxEventLoopDelayMs?: number;
  /** V8 heap in use beyond which requests get 503 (default off). */
  maxHeapUsedBytes?: number;
  /** Resident set size beyond which requests get 503 (default off). */
  maxRssBytes?: number;
  /** How often load is sampled (default 500 ms). */
  sampleIntervalMs?: number;
  /** Seconds sent in `Retry-After` with a 503 (default 1). */
  retryAfter?: number;
  /** Which proxies' `X-Forwarded-*` headers to believe (default: none). See {@link clientAddress}. */
  trustProxy?: TrustProxy;
  /** Liveness endpoint (default `/health`); `false` removes it. */
  healthPath?: string | false;
  /** Readiness endpoint (default `/ready`); `false` removes it. */
  readyPath?: string | false;
  /** Checks `/ready` runs; a failing critical one turns it 503. */
  readinessChecks?: readonly ReadinessCheck[];
  /** Deadline of a graceful shutdown, after which the process exits anyway (default 25 s). */
  shutdownTimeoutMs?: number;
  /** While draining, how long idle keep-alive connections may still bring one last request (default 1 s). */
  idleGraceMs?: number;
  /** Handle SIGTERM/SIGINT (drain, exit) and uncaught errors (drain, exit 1). Default true. */
  handleSignals?: boolean;
  /** Requests after which a worker is replaced (default 0 = never). */
  maxRequestsPerWorker?: number;
  /** Random extra requests per worker so workers do not recycle together (default 10% of the max). */
  maxRequestsJitter?: number;
  /** First delay before replacing a crashed worker; doubles per consecutive crash (default 250 ms). */
  restartDelayMs?: number;
  /** Longest delay before replacing a crashed worker (default 10 s). */
  maxRestartDelayMs?: number;
  /** Consecutive crashes after which the primary gives up and exits 1 (default 10). */
  maxCrashes?: number;
  /** Uptime after which a worker's crash no longer counts as consecutive (default 10 s). */
  stableAfterMs?: number;
  /** Time a new worker has to start listening (default 60 s). */
  bootTimeoutMs?: number;
  /**
   * Under workers, the primary also serves the cluster's summed `/metrics` on this port (the app
   * needs `velox/metrics`; default: none, the app's own `/metrics` route answers for the cluster).
   */
  metricsPort?: number;
  /** Time the primary waits for each worker's metrics in a scrape before using its last ones (default 2 s). */
  metricsTimeoutMs?: number;
  /** Where the server logs (default: the app's logger). */
  logger?: Logger;
}

/**
 * {@link ServeOptions} with every default filled in.
 *
 * @example
 * ```ts
 * const resolved: ResolvedServeOptions = resolveServeOptions({}, app.logger);
 * resolved.shutdownTimeoutMs; // 25000
 * ```
 */
export type ResolvedServeOptions = Required<Omit<ServeOptions, "trustProxy" | "logger" | "metricsPort">> & Pick<ServeOptions, "trustProxy" | "metricsPort"> & { logger: Logger };

const DEFAULTS = {
  host: "127.0.0.1",
  port: 8000,
  headersTimeout: 10_000,
  requestTimeout: 60_000,
  keepAliveTimeout: 65_000,
  connectionsCheckingInterval: 1_000,
  maxHeaderSize: 16 * 1024,
  maxHeadersCount: 100,
  backlog: 511,
  maxConnections: 0,
  limitConcurrency: 0,
  maxEventLoopDelayMs: 1_000,
  maxHeapUsedBytes: 0,
  maxRssBytes: 0,
  sampleIntervalMs: 500,
  retryAfter: 1,
  healthPath: "/health",
  readyPath: "/ready",
  shutdownTimeoutMs: 25_000,
  idleGraceMs: 1_000,
  handleSignals: true,
  maxRequestsPerWorker: 0,
  restartDelayMs: 250,
  maxRestartDelayMs: 10_000,
  maxCrashes: 10,
  stableAfterMs: 10_000,
  bootTimeoutMs: 60_000,
  metricsTimeoutMs: 2_000,
} as const;

const COUNTS = ["port", "workers", "headersTimeout", "requestTimeout", "keepAliveTimeout", "connectionsCheckingInterval", "maxHeaderSize", "maxHeadersCount", "backlog", "maxConnections", "limitConcurrency", "maxEventLoopDelayMs", "maxHeapUsedBytes", "maxRssBytes", "sampleIntervalMs", "retryAfter", "shutdownTimeoutMs", "idleGraceMs", "maxRequestsPerWorker", "maxRequestsJitter", "restartDelayMs", "maxRestartDelayMs", "maxCrashes", "stableAfterMs", "bootTimeoutMs", "metricsPort", "metricsTimeoutMs"] as const;

function invalid(message: string): VeloxError {
  return new VeloxError("VX_INVALID_OPTION", `serve(): ${message}`);
}

function checkPath(name: string, value: string | false): void {
  if (value !== false && (typeof value !== "string" || !value.startsWith("/") || value.includes("?"))) {
    throw invalid(`${name} must be a path starting with "/" or false, got ${JSON.stringify(value)}`);
  }
}

/**
 * Fills in defaults and rejects impossible combinations, so a typo fails at startup, not under load.
 *
 * @example
 * ```ts
 * const resolved = resolveServeOptions({ port: 0, workers: 0 }, app.logger);
 * resolved.keepAliveTimeout; // 65000
 * ```
 */
export function resolveServeOptions(options: ServeOptions, fallbackLogger: Logger): ResolvedServeOptions {
  for (const key of COUNTS) {
    const value = options[key];
    if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 0)) {
      throw invalid(`${key} must be a non-negative integer, got ${String(value)}`);
    }
  }
  const merged = { ...DEFAULTS, ...withoutUndefined(options) };
  checkPath("healthPath", merged.healthPath);
  checkPath("readyPath", merged.readyPath);
  if (merged.port > 65_535) throw invalid(`port must be at most 65535, got ${merged.port}`);
  if (merged.requestTimeout > 0 && merged.headersTimeout > merged.requestTimeout) {
    throw invalid(`headersTimeout (${merged.headersTimeout}) must not exceed requestTimeout (${merged.requestTimeout})`);
  }
  if (merged.connectionsCheckingInterval === 0) throw invalid("connectionsCheckingInterval must be positive");
  if (merged.sampleIntervalMs === 0) throw invalid("sampleIntervalMs must be positive");
  for (const check of options.readinessChecks ?? []) {
    if (typeof check?.name !== "string" || typeof check.check !== "function") throw invalid("each readiness check needs a name and a check function");
  }
  return {
    ...merged,
    workers: options.workers ?? availableParallelism(),
    maxRequestsJitter: options.maxRequestsJitter ?? Math.round(merged.maxRequestsPerWorker / 10),
    readinessChecks: options.readinessChecks ?? [],
    trustProxy: options.trustProxy,
    metricsPort: options.metricsPort,
    logger: options.logger ?? fallbackLogger,
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
