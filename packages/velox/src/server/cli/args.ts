import { parseArgs } from "node:util";
import type { ServeOptions } from "../options.ts";
import { ServeError } from "../serve-error.ts";
import type { TrustProxy } from "../trust-proxy.ts";

/** A parsed command line. */
export type Command =
  | { command: "run"; module: string; options: ServeOptions; dev: boolean; jobs: boolean; accessLog?: true }
  | { command: "worker"; module: string; worker: WorkerFlags }
  | { command: "jobs"; action: "failed" | "retry"; module: string; ids: string[]; name: string | undefined; limit: number | undefined }
  | { command: "dev"; module: string; host: string; port: number }
  | { command: "openapi"; module: string; out: string | undefined }
  | { command: "help" }
  | { command: "version" };

/** Flags of `velox worker` (`velox/jobs`). */
export interface WorkerFlags {
  only?: string[];
  leaseMs?: number;
  pollMs?: number;
  shutdownTimeoutMs?: number;
}

/** Numeric flags and the option each sets. */
const NUMERIC: Record<string, keyof ServeOptions> = {
  port: "port",
  workers: "workers",
  "max-requests": "maxRequestsPerWorker",
  "max-requests-jitter": "maxRequestsJitter",
  "limit-concurrency": "limitConcurrency",
  "max-connections": "maxConnections",
  backlog: "backlog",
  "headers-timeout": "headersTimeout",
  "request-timeout": "requestTimeout",
  "keep-alive-timeout": "keepAliveTimeout",
  "max-header-size": "maxHeaderSize",
  "max-headers-count": "maxHeadersCount",
  "shutdown-timeout": "shutdownTimeoutMs",
  "idle-grace": "idleGraceMs",
  "max-event-loop-delay": "maxEventLoopDelayMs",
  "max-heap": "maxHeapUsedBytes",
  "max-rss": "maxRssBytes",
  "retry-after": "retryAfter",
  "metrics-port": "metricsPort",
};

const OPTIONS = {
  host: { type: "string" },
  "trust-proxy": { type: "string" },
  "health-path": { type: "string" },
  "ready-path": { type: "string" },
  "no-health": { type: "boolean" },
  "no-ready": { type: "boolean" },
  dev: { type: "boolean" },
  "access-log": { type: "boolean" },
  jobs: { type: "boolean" },
  only: { type: "string" },
  lease: { type: "string" },
  poll: { type: "string" },
  name: { type: "string" },
  limit: { type: "string" },
  out: { type: "string", short: "o" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
  ...Object.fromEntries(Object.keys(NUMERIC).map((k) => [k, { type: "string" }])),
} as const;

function integer(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new ServeError("VX_BAD_ARGUMENT", `--${flag} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

/** `true`/`false`, a hop count, or addresses and ranges. */
export function parseTrustProxy(raw: string): TrustProxy {
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw.split(",").map((s) => s.trim()).filter(Boolean);
}

/**
 * Parses `velox` arguments. Flags are the kebab-case names of {@link ServeOptions}; `PORT` and
 * `WEB_CONCURRENCY` from the environment fill `--port` and `--workers` when absent.
 *
 * @example
 * ```ts
 * parseCommand(["run", "src/main.ts", "--port", "8080", "--workers", "4"], {});
 * // { command: "run", module: "src/main.ts", options: { port: 8080, workers: 4 }, dev: false }
 * ```
 */
export function parseCommand(argv: readonly string[], env: Record<string, string | undefined>): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ServeError("VX_BAD_ARGUMENT", (err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) return { command: "version" };
  const [command, module, ...extra] = positionals;
  if (values.help || command === undefined || command === "help") return { command: "help" };
  if (command !== "run" && command !== "dev" && command !== "openapi" && command !== "worker" && command !== "jobs") {
    throw new ServeError("VX_BAD_ARGUMENT", `unknown command "${command}" (expected run, dev, openapi, worker or jobs)`);
  }
  if (command === "jobs") return parseJobsCommand(positionals.slice(1), values as Record<string, string | boolean | undefined>);
  if (module === undefined) throw new ServeError("VX_BAD_ARGUMENT", `velox ${command} needs a module, e.g. velox ${command} src/main.ts`);
  if (extra.length > 0) throw new ServeError("VX_BAD_ARGUMENT", `unexpected argument "${extra[0]}"`);

  const raw = values as Record<string, string | boolean | undefined>;
  if (command === "openapi") return { command: "openapi", module, out: raw.out as string | undefined };
  if (command === "worker") {
    const worker: WorkerFlags = {};
    if (raw.only !== undefined) worker.only = (raw.only as string).split(",").map((s) => s.trim()).filter(Boolean);
    if (raw.lease !== undefined) worker.leaseMs = integer("lease", raw.lease as string);
    if (raw.poll !== undefined) worker.pollMs = integer("poll", raw.poll as string);
    if (raw["shutdown-timeout"] !== undefined) worker.shutdownTimeoutMs = integer("shutdown-timeout", raw["shutdown-timeout"] as string);
    return { command: "worker", module, worker };
  }
  const portRaw = (raw.port as string | undefined) ?? env.PORT;
  if (command === "dev") {
    return { command: "dev", module, host: (raw.host as string | undefined) ?? "127.0.0.1", port: portRaw === undefined ? 8000 : integer("port", portRaw) };
  }

  const options: ServeOptions = {};
  const target = options as Record<string, unknown>;
  for (const [flag, key] of Object.entries(NUMERIC)) {
    const value = raw[flag] as string | undefined;
    if (value !== undefined) target[key] = integer(flag, value);
  }
  if (portRaw !== undefined && options.port === undefined) options.port = integer("port", portRaw);
  if (options.workers === undefined && env.WEB_CONCURRENCY !== undefined) options.workers = integer("workers", env.WEB_CONCURRENCY);
  if (raw.host !== undefined) options.host = raw.host as string;
  if (raw["trust-proxy"] !== undefined) options.trustProxy = parseTrustProxy(raw["trust-proxy"] as string);
  if (raw["health-path"] !== undefined) options.healthPath = raw["health-path"] as string;
  if (raw["ready-path"] !== undefined) options.readyPath = raw["ready-path"] as string;
  if (raw["no-health"]) options.healthPath = false;
  if (raw["no-ready"]) options.readyPath = false;
  return { command: "run", module, options, dev: raw.dev === true, jobs: raw.jobs === true, ...(raw["access-log"] === true ? { accessLog: true as const } : {}) };
}

function parseJobsCommand(args: string[], raw: Record<string, string | boolean | undefined>): Command {
  const [action, module, ...ids] = args;
  if (action !== "failed" && action !== "retry") throw new ServeError("VX_BAD_ARGUMENT", `velox jobs needs "failed" or "retry", got ${action === undefined ? "nothing" : `"${action}"`}`);
  if (module === undefined) throw new ServeError("VX_BAD_ARGUMENT", `velox jobs ${action} needs a module, e.g. velox jobs ${action} src/jobs.ts`);
  if (action === "retry" && ids.length === 0) throw new ServeError("VX_BAD_ARGUMENT", "velox jobs retry needs at least one job id (see velox jobs failed)");
  if (action === "failed" && ids.length > 0) throw new ServeError("VX_BAD_ARGUMENT", `unexpected argument "${ids[0]}"`);
  const limit = raw.limit === undefined ? undefined : integer("limit", raw.limit as string);
  return { command: "jobs", action, module, ids, name: raw.name as string | undefined, limit };
}

/** `velox --help`. */
export const HELP = `Usage:
  velox run <module[:export]> [options]   serve an app in production
  velox dev <module[:export]> [--port N]  one process on 127.0.0.1, restarted on file changes
  velox openapi <module[:export]> [--out file]  write the app's OpenAPI document (stdout by default)
  velox worker <module[:export]> [options]  run durable jobs (velox/jobs) without serving HTTP
  velox jobs failed <module[:export]> [--name job] [--limit n]  list dead-lettered jobs (JSON lines)
  velox jobs retry <module[:export]> <id>...  put dead-lettered jobs back in the queue

The module must default-export a Velox app or export it as \`app\` (or name the export after ":").

Options of velox run (defaults in brackets):
  --host <addr>                 interface to listen on [127.0.0.1]
  --port <n>                    TCP port [$PORT or 8000]
  --workers <n>                 worker processes; 0 = serve in this process [$WEB_CONCURRENCY or cores]
  --max-requests <n>            recycle a worker after n requests [0 = never]
  --max-requests-jitter <n>     random extra requests per worker [10% of max]
  --limit-concurrency <n>       requests in flight per process before 503 [unlimited]
  --max-connections <n>         open connections per process [unlimited]
  --backlog <n>                 listen queue [511]
  --headers-timeout <ms>        time to receive headers, else 408 [10000]
  --request-timeout <ms>        time to receive the whole request, else 408 [60000]
  --keep-alive-timeout <ms>     idle keep-alive; keep above your load balancer's idle timeout [65000]
  --max-header-size <bytes>     largest request head, else 431 [16384]
  --max-headers-count <n>       most header lines in a request, else 431 [100]
  --shutdown-timeout <ms>       graceful shutdown deadline [25000]
  --idle-grace <ms>             while draining, time idle keep-alive connections may bring a last request [1000]
  --max-event-loop-delay <ms>   shed load (503) beyond this event-loop delay [1000; 0 = off]
  --max-heap <bytes>            shed load beyond this heap use [off]
  --max-rss <bytes>             shed load beyond this RSS [off]
  --retry-after <s>             Retry-After of 503 answers [1]
  --access-log                  a line per request (velox/logging's access log) unless the app has one [on in velox dev]
  --metrics-port <n>            with workers: the primary serves the cluster's /metrics on this port [none]
  --trust-proxy <v>             true, a hop count, or addresses/CIDRs/loopback,uniquelocal [none]
  --health-path <p> | --no-health   liveness endpoint [/health]
  --ready-path <p>  | --no-ready    readiness endpoint [/ready]
  --jobs                        also run the app's job worker (velox/jobs) in each process

Options of velox worker (the module exports a job queue, or an app with one installed):
  --only <a,b>                  only these job names [all]
  --lease <ms>                  lease per job: how long a crashed worker's job waits to run again [30000]
  --poll <ms>                   idle poll interval [500]
  --shutdown-timeout <ms>       drain deadline: running jobs finish or are released [25000]

Signals: SIGTERM/SIGINT drain and exit (a second one exits at once); SIGHUP reloads workers one by one.`;
