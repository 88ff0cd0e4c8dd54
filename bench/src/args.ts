/** Command-line flags of `npm run bench`. */
import type { ToolName } from "./load/index.ts";
import { WORKLOADS, type WorkloadName } from "./workloads.ts";

export interface BenchArgs {
  mode: "bench" | "check" | "serve" | "help" | "instructions";
  quick: boolean;
  only: string[] | null;
  workloads: WorkloadName[];
  serve: string | null;
  port: number;
  runs: number;
  seconds: number;
  warmup: number;
  connections: number;
  tool: ToolName | undefined;
  /** Pin servers to core 1 and the load generator to core 0. */
  pin: boolean;
  /** Niceness for servers and load generator; below 0 favours them over other processes. */
  nice: number;
  /** Processes per server (1: the method's main table; more: the separate multi-worker table, unpinned). */
  workers: number;
  /** Instructions mode: requests counted per cell, and uncounted requests before them (null: per server). */
  requests: number;
  warmupRequests: number | null;
}

export const USAGE = `usage: npm run bench -- [flags]
  --quick                 a few seconds per cell, 1 run (development)
  --only a,b,c            servers to run (raw, velox, velox-deps, velox-metrics, velox-batteries, fastify, hono, express, fastapi, elysia)
  --workloads json,users,items
  --check                 only run the contract check
  --serve <name> [--port <port>]   start one contract server in the foreground
  --runs N --duration S --warmup S --connections N   override the method's numbers
  --tool wrk|autocannon   load generator (default: wrk when installed)
  --no-pin                do not pin with taskset
  --nice N                run servers and load generator at niceness N (e.g. -10 on a shared machine; root)
  --workers N             the multi-worker table: N processes per server, nothing pinned
  --instructions          count instructions per request with valgrind's callgrind instead of timing
    [--requests N]          measured requests per cell (default 5000)
    [--warmup-requests N]   uncounted requests first (default 10000; 30000 for Bun)`;

function list(value: string | undefined, flag: string): string[] {
  if (!value) throw new Error(`${flag} needs a comma-separated list`);
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}

function count(value: string | undefined, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} needs a whole number >= ${min}`);
  return n;
}

function positive(value: string | undefined, flag: string, min = 1): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`${flag} needs a number >= ${min}`);
  return n;
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const a: BenchArgs = {
    mode: "bench", quick: false, only: null, workloads: WORKLOADS.map((w) => w.name), serve: null,
    port: 3000, runs: 3, seconds: 10, warmup: 3, connections: 50, tool: undefined, pin: true, nice: 0, workers: 1,
    requests: 5000, warmupRequests: null,
  };
  const explicit = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const next = () => argv[++i];
    switch (flag) {
      case "--quick": a.quick = true; break;
      case "--check": a.mode = "check"; break;
      case "--instructions": a.mode = "instructions"; break;
      case "--requests": a.requests = count(next(), flag, 2); break;
      case "--warmup-requests": a.warmupRequests = count(next(), flag, 0); break;
      case "--help": case "-h": a.mode = "help"; break;
      case "--no-pin": a.pin = false; break;
      case "--only": a.only = list(next(), flag); break;
      case "--serve": a.mode = "serve"; a.serve = next() ?? null; break;
      case "--port": a.port = positive(next(), flag, 0); break;
      case "--runs": a.runs = positive(next(), flag); explicit.add("runs"); break;
      case "--duration": a.seconds = positive(next(), flag); explicit.add("seconds"); break;
      case "--warmup": a.warmup = positive(next(), flag, 0); explicit.add("warmup"); break;
      case "--nice": {
        const n = Number(next());
        if (!Number.isInteger(n) || n < -20 || n > 19) throw new Error("--nice needs an integer -20..19");
        a.nice = n;
        break;
      }
      case "--connections": a.connections = positive(next(), flag); break;
      case "--workers": {
        const n = Number(next());
        if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error("--workers needs an integer 1..64");
        a.workers = n;
        break;
      }
      case "--tool": {
        const t = next();
        if (t !== "wrk" && t !== "autocannon") throw new Error("--tool is wrk or autocannon");
        a.tool = t;
        break;
      }
      case "--workloads": {
        const names = list(next(), flag);
        const bad = names.filter((n) => !WORKLOADS.some((w) => w.name === n));
        if (bad.length) throw new Error(`unknown workload(s): ${bad.join(", ")}`);
        a.workloads = names as WorkloadName[];
        break;
      }
      default: throw new Error(`unknown flag ${flag}\n${USAGE}`);
    }
  }
  if (a.mode === "serve" && !a.serve) throw new Error("--serve needs a server name");
  if (a.mode === "instructions" && a.workers > 1) throw new Error("--instructions counts one process per server; it does not take --workers");
  // Several workers need every core; the load generator then shares them.
  if (a.workers > 1) a.pin = false;
  if (a.quick) {
    if (!explicit.has("runs")) a.runs = 1;
    if (!explicit.has("seconds")) a.seconds = 3;
    if (!explicit.has("warmup")) a.warmup = 1;
  }
  return a;
}
