/** The instructions-per-request table and its markdown report. */
import type { Machine } from "../machine.ts";
import type { ServerDef } from "../registry.ts";
import { int, ratio, row } from "../report/format.ts";
import { BASELINE } from "../summary.ts";
import { WORKLOADS, type WorkloadName } from "../workloads.ts";
import type { CellResult, CellSettings } from "./measure-cell.ts";

export interface InstructionsReport {
  date: string;
  /** The warm-up is per cell (CellResult.warmupRequests). */
  settings: Omit<CellSettings, "warmupRequests">;
  machine: Machine;
  /** `valgrind --version`. */
  valgrind: string;
  servers: readonly ServerDef[];
  workloads: readonly WorkloadName[];
  cells: readonly CellResult[];
  notes: string[];
}

/**
 * The cell's instructions per request over raw node:http's on the same workload, or null.
 *
 * @example
 * ```ts
 * ratioToRaw(cells, velox); // 1.02: Velox runs 2 % more instructions per request than raw
 * ```
 */
export function ratioToRaw(cells: readonly CellResult[], cell: CellResult): number | null {
  const raw = cells.find((c) => c.server === BASELINE && c.workload === cell.workload)?.perRequest;
  return raw && cell.perRequest !== null ? cell.perRequest / raw : null;
}

/**
 * How far apart the two halves of the measured requests are, in % of their mean.
 *
 * @example
 * ```ts
 * halvesSpreadPct([61_000, 61_100]); // 0.16
 * ```
 */
export function halvesSpreadPct(halves: readonly [number, number]): number {
  return (Math.abs(halves[1] - halves[0]) / ((halves[0] + halves[1]) / 2)) * 100;
}

const firstLine = (s: string) => s.split("\n")[0]!;

/**
 * Server × workload: instructions per request, with the ratio to raw node:http in brackets.
 *
 * @example
 * ```ts
 * console.log(instructionsTable(report)); // | Velox | 61,540 (1.01) | … |
 * ```
 */
export function instructionsTable(r: InstructionsReport): string {
  const ws = WORKLOADS.filter((w) => r.workloads.includes(w.name));
  const lines = [row(["server", ...ws.map((w) => `${w.label} instr/req (ratio)`)]), row(["---", ...ws.map(() => "---:")])];
  for (const s of r.servers) {
    const cols = ws.map((w) => {
      const c = r.cells.find((x) => x.server === s.name && x.workload === w.name);
      if (!c) return "—";
      return c.perRequest === null ? "failed" : `${int(c.perRequest)} (${ratio(ratioToRaw(r.cells, c))})`;
    });
    lines.push(row([s.label, ...cols]));
  }
  return lines.join("\n");
}

/**
 * One line per cell: both halves, their spread, how long the cell took, or why it failed.
 *
 * @example
 * ```ts
 * console.log(cellDetails(report)); // | raw | json | 10,000 | 61,061 | 60,789 | 0.4 % | 18 s |
 * ```
 */
export function cellDetails(r: InstructionsReport): string {
  const lines = [row(["server", "workload", "warm-up", "1st half", "2nd half", "spread", "cell took"]), row(["---", "---", "---:", "---:", "---:", "---:", "---:"])];
  for (const c of r.cells) {
    const head = [c.server, c.workload, int(c.warmupRequests)];
    const took = `${Math.round(c.seconds)} s`;
    if (c.halves === null) lines.push(row([...head, `failed: ${firstLine(c.error ?? "unknown")}`, "", "", took]));
    else lines.push(row([...head, int(c.halves[0]), int(c.halves[1]), `${halvesSpreadPct(c.halves).toFixed(1)} %`, took]));
  }
  return lines.join("\n");
}

/**
 * The whole report as written to `instructions.md`.
 *
 * @example
 * ```ts
 * writeResults(report.date, { "instructions.md": instructionsMarkdown(report) });
 * ```
 */
export function instructionsMarkdown(r: InstructionsReport): string {
  const s = r.settings;
  const versions = Object.entries(r.machine.versions).map(([k, v]) => `${k} ${v}`).join(", ");
  return [
    `# Velox benchmark, instructions per request — ${r.date}`,
    "",
    `Method: each server × workload in a fresh process under \`valgrind --tool=callgrind\`; a warm-up uninstrumented (requests per cell below), then ${int(s.requests)} measured requests (in two halves), ${s.connections} keep-alive connections, one request at a time on each.`,
    "",
    instructionsTable(r),
    "",
    "## Cells",
    "",
    cellDetails(r),
    "",
    "## Machine",
    "",
    `${r.machine.nproc} cores, ${r.machine.cpu}, Linux ${r.machine.kernel}, ${r.valgrind}. Versions: ${versions}.`,
    "",
    "## Notes",
    "",
    ...r.notes.map((n) => `- ${n}`),
    "",
  ].join("\n");
}
