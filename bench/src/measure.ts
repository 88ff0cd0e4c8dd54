/**
 * The measuring schedule of shared/bench-workloads.md: per workload, a warm-up for each server,
 * then N rounds that visit the servers in turn (A B C A B C …) so that drift hits all alike.
 */
import type { LoadResult, LoadTool } from "./load/types.ts";
import type { RunningServer } from "./server-process.ts";
import type { Workload, WorkloadName } from "./workloads.ts";

export interface Settings {
  runs: number;
  seconds: number;
  warmup: number;
  connections: number;
  /** Core for the load generator, null when unpinned. */
  loadCore: number | null;
}

export interface Cell {
  server: string;
  workload: WorkloadName;
  runs: LoadResult[];
  /** VmRSS after this workload's runs. */
  rssMiB: number | null;
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function describeRun(r: LoadResult): string {
  const bad = r.non2xx || r.errors ? `  non-2xx ${r.non2xx} errors ${r.errors}` : "";
  return `${fmt(r.rps).padStart(9)} req/s  p50 ${fmt(r.p50Ms, 2)} ms  p99 ${fmt(r.p99Ms, 2)} ms${bad}`;
}

export async function measure(
  servers: readonly RunningServer[],
  workloads: readonly Workload[],
  s: Settings,
  tool: LoadTool,
  log: (line: string) => void,
): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const w of workloads) {
    const load = (srv: RunningServer, seconds: number) =>
      tool({ url: srv.url + w.path, method: w.method, body: w.body, seconds, connections: s.connections, core: s.loadCore });
    const row = servers.map((srv) => ({ server: srv.def.name, workload: w.name, runs: [] as LoadResult[], rssMiB: null as number | null }));
    if (s.warmup > 0) {
      for (const srv of servers) {
        log(`[${w.name}] warm-up ${srv.def.name} (${s.warmup} s)`);
        await load(srv, s.warmup);
      }
    }
    for (let round = 1; round <= s.runs; round++) {
      for (const [i, srv] of servers.entries()) {
        const r = await load(srv, s.seconds);
        row[i]!.runs.push(r);
        log(`[${w.name}] run ${round}/${s.runs} ${srv.def.name.padEnd(8)} ${describeRun(r)}`);
      }
    }
    for (const [i, srv] of servers.entries()) row[i]!.rssMiB = srv.rss();
    cells.push(...row);
  }
  return cells;
}
