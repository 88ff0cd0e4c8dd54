/**
 * The measuring schedule of shared/bench-workloads.md: per workload, a warm-up for each server,
 * then N rounds that visit the servers in turn (A B C A B C …) so that drift hits all alike.
 */
import type { LoadResult, LoadTool } from "./load/types.ts";
import type { Placement } from "./pin.ts";
import type { RunningServer } from "./server-process.ts";
import type { Workload, WorkloadName } from "./workloads.ts";

export interface Settings {
  runs: number;
  seconds: number;
  warmup: number;
  connections: number;
  server: Placement;
  load: Placement;
}

export interface Run extends LoadResult {
  /** CPU seconds the server used during the run. */
  serverCpuS: number | null;
}

export interface Cell {
  server: string;
  workload: WorkloadName;
  runs: Run[];
  /** VmRSS after this workload's runs. */
  rssMiB: number | null;
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function describeRun(r: Run): string {
  const bad = r.non2xx || r.errors ? `  non-2xx ${r.non2xx} errors ${r.errors}` : "";
  const cpu = r.serverCpuS ? `  server CPU ${fmt(r.serverCpuS, 1)} s` : "";
  return `${fmt(r.rps).padStart(9)} req/s  p50 ${fmt(r.p50Ms, 2)} ms  p99 ${fmt(r.p99Ms, 2)} ms${cpu}${bad}`;
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
      tool({ url: srv.url + w.path, method: w.method, body: w.body, seconds, connections: s.connections, place: s.load });
    const row = servers.map((srv) => ({ server: srv.def.name, workload: w.name, runs: [] as Run[], rssMiB: null as number | null }));
    if (s.warmup > 0) {
      for (const srv of servers) {
        log(`[${w.name}] warm-up ${srv.def.name} (${s.warmup} s)`);
        await load(srv, s.warmup);
      }
    }
    for (let round = 1; round <= s.runs; round++) {
      for (const [i, srv] of servers.entries()) {
        const cpu0 = srv.cpuSeconds();
        const result = await load(srv, s.seconds);
        const cpu1 = srv.cpuSeconds();
        const r: Run = { ...result, serverCpuS: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 };
        row[i]!.runs.push(r);
        log(`[${w.name}] run ${round}/${s.runs} ${srv.def.name.padEnd(8)} ${describeRun(r)}`);
      }
    }
    for (const [i, srv] of servers.entries()) row[i]!.rssMiB = srv.rss();
    cells.push(...row);
  }
  return cells;
}
