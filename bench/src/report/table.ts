/** Markdown tables of a benchmark run: a summary like shared/bench-workloads.md, then details. */
import type { Machine } from "../machine.ts";
import type { ServerDef } from "../registry.ts";
import type { Settings } from "../measure.ts";
import type { CellSummary } from "../summary.ts";
import { WORKLOADS, type WorkloadName } from "../workloads.ts";
import { int, mib, ms, ratio, row } from "./format.ts";

export interface ReportInput {
  date: string;
  /** Processes per server: 1 for the method's main table, more for the multi-worker table. */
  workers: number;
  tool: string;
  settings: Settings;
  machine: Machine;
  servers: readonly ServerDef[];
  workloads: readonly WorkloadName[];
  cells: readonly CellSummary[];
  /** RSS of each server after all its runs. */
  finalRss: Record<string, number | null>;
  notes: string[];
}

function flag(c: CellSummary): string {
  return c.non2xx || c.errors ? ` ⚠ ${c.non2xx} non-2xx, ${c.errors} errors` : "";
}

export function summaryTable(r: ReportInput): string {
  const ws = WORKLOADS.filter((w) => r.workloads.includes(w.name));
  const lines = [row(["server", ...ws.map((w) => `${w.label} req/s (ratio)`), "RSS MiB"]), row(["---", ...ws.map(() => "---:"), "---:"])];
  for (const s of r.servers) {
    const cols = ws.map((w) => {
      const c = r.cells.find((x) => x.server === s.name && x.workload === w.name);
      return c ? `${int(c.rps)} (${ratio(c.ratio)})${flag(c)}` : "—";
    });
    lines.push(row([s.label, ...cols, mib(r.finalRss[s.name] ?? null)]));
  }
  return lines.join("\n");
}

export function detailTables(r: ReportInput): string {
  const out: string[] = [];
  for (const w of WORKLOADS.filter((x) => r.workloads.includes(x.name))) {
    out.push(`### ${w.label}${w.method === "GET" ? ` (\`${w.path}\`)` : ""}`, "");
    out.push(row(["server", "req/s", "ratio", "paired ratio", "p50 ms", "p99 ms", "req/CPU-s", "non-2xx", "RSS MiB"]), row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]));
    for (const s of r.servers) {
      const c = r.cells.find((x) => x.server === s.name && x.workload === w.name);
      if (!c) continue;
      out.push(row([s.label, int(c.rps), ratio(c.ratio), ratio(c.pairedRatio), ms(c.p50Ms), ms(c.p99Ms), c.perCpuS === null ? "n/a" : int(c.perCpuS), String(c.non2xx + c.errors), mib(c.rssMiB)]));
    }
    out.push("");
  }
  return out.join("\n");
}

export function methodLine(r: ReportInput): string {
  const s = r.settings;
  const where = (p: { core: number | null; nice?: number }) => `${p.core === null ? "unpinned" : `core ${p.core}`}${p.nice ? `, nice ${p.nice}` : ""}`;
  const pin = `server ${where(s.server)}, ${r.tool} ${where(s.load)}`;
  return `${r.tool}, ${s.connections} connections, ${s.warmup} s warm-up, median of ${s.runs} × ${s.seconds} s, servers alternating; ${pin}.`;
}

export function machineLine(m: Machine): string {
  const v = Object.entries(m.versions).map(([k, val]) => `${k} ${val}`).join(", ");
  return `${m.nproc} cores (${m.cpu}), Linux ${m.kernel}; ${v}.`;
}

export function markdownReport(r: ReportInput): string {
  return [
    r.workers > 1 ? `# Velox benchmark, ${r.workers} workers per server — ${r.date}` : `# Velox benchmark — ${r.date}`,
    "",
    `Method: ${methodLine(r)}`,
    "",
    `Machine: ${machineLine(r.machine)}`,
    "",
    "Req/s are medians; the ratio is to raw node:http on the same workload; the paired ratio is the median over rounds of each round's req/s over raw's in that round (steadier when the machine's speed drifts); RSS is VmRSS after the server's runs.",
    "",
    summaryTable(r),
    "",
    ...(r.notes.length ? [...r.notes.map((n) => `- ${n}`), ""] : []),
    detailTables(r),
  ].join("\n");
}
