/**
 * The contract check as one table: a row per case, a column per server; ✓ when right, ✗ when
 * wrong, ≠ for a known deviation (deviations.ts).
 */
import type { CheckReport } from "../contract-check.ts";

export function checkMatrix(reports: readonly { name: string; report: CheckReport }[]): string {
  const first = reports[0]?.report.results ?? [];
  const head = `| case | expected | ${reports.map((r) => r.name).join(" | ")} |`;
  const sep = `|---|---:|${reports.map(() => ":---:").join("|")}|`;
  const rows = first.map((c, i) => {
    const cols = reports.map(({ report }) => {
      const r = report.results[i]!;
      if (r.problem === null) return `✓ ${r.status}`;
      return `${r.waived ? "≠" : "✗"} ${r.status ?? "error"}`;
    });
    return `| ${c.name} | ${c.expected} | ${cols.join(" | ")} |`;
  });
  return [head, sep, ...rows].join("\n");
}
