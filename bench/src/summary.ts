/** Medians per cell and the ratio to raw node:http on the same workload. */
import type { Cell } from "./measure.ts";
import { median } from "./stats.ts";
import type { WorkloadName } from "./workloads.ts";

export const BASELINE = "raw";

export interface CellSummary {
  server: string;
  workload: WorkloadName;
  rps: number;
  /** Median requests per CPU second of the server: steadier than req/s when others compete. */
  perCpuS: number | null;
  p50Ms: number;
  p99Ms: number;
  /** Median req/s over the baseline's; null when the baseline did not run. */
  ratio: number | null;
  /**
   * Median over the rounds of this server's req/s over the baseline's in the same round. Rounds
   * alternate the servers, so a drift in the machine's speed hits both runs of a round alike; on a
   * noisy machine this moves less than the ratio of medians.
   */
  pairedRatio: number | null;
  non2xx: number;
  errors: number;
  rssMiB: number | null;
  runs: number;
}

export function summarize(cells: readonly Cell[]): CellSummary[] {
  const base = new Map<WorkloadName, number>();
  const baseRuns = new Map<WorkloadName, Cell["runs"]>();
  for (const c of cells) {
    if (c.server !== BASELINE) continue;
    base.set(c.workload, median(c.runs.map((r) => r.rps)));
    baseRuns.set(c.workload, c.runs);
  }
  return cells.map((c) => {
    const rps = median(c.runs.map((r) => r.rps));
    const perCpu = c.runs.flatMap((r) => (r.serverCpuS ? [r.requests / r.serverCpuS] : []));
    const b = base.get(c.workload);
    const rounds = baseRuns.get(c.workload) ?? [];
    const paired = c.runs.flatMap((r, i) => (rounds[i] && rounds[i]!.rps > 0 ? [r.rps / rounds[i]!.rps] : []));
    return {
      server: c.server,
      workload: c.workload,
      rps,
      perCpuS: perCpu.length ? median(perCpu) : null,
      p50Ms: median(c.runs.map((r) => r.p50Ms)),
      p99Ms: median(c.runs.map((r) => r.p99Ms)),
      ratio: b ? rps / b : null,
      pairedRatio: paired.length ? median(paired) : null,
      non2xx: c.runs.reduce((n, r) => n + r.non2xx, 0),
      errors: c.runs.reduce((n, r) => n + r.errors, 0),
      rssMiB: c.rssMiB,
      runs: c.runs.length,
    };
  });
}
