/** A grouped bar chart of median req/s per workload and server, as a self-contained SVG string. */
import type { CellSummary } from "../summary.ts";

export interface ChartInput {
  title: string;
  groups: { key: string; label: string }[];
  series: { key: string; label: string }[];
  cells: readonly CellSummary[];
}

const COLORS = ["#4c78a8", "#e45756", "#54a24b", "#f58518", "#b279a2", "#72b7b2", "#9d755d", "#bab0ac"];
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const short = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(n >= 100_000 ? 0 : 1)}k` : n.toFixed(0));

/** A round axis maximum and step: 1, 2 or 5 times a power of ten. */
function niceScale(max: number): { top: number; step: number } {
  const raw = Math.max(max, 1) / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  return { top: Math.ceil(max / step) * step || step, step };
}

export function barChart(c: ChartInput): string {
  const bar = 28, gap = 6, groupGap = 48, left = 70, top = 50, plotH = 280, legendW = 300;
  const groupW = c.series.length * (bar + gap) - gap;
  const plotW = c.groups.length * (groupW + groupGap);
  const width = left + plotW + legendW, height = top + plotH + 50;
  const { top: yMax, step } = niceScale(Math.max(...c.cells.map((x) => x.rps)));
  const y = (v: number) => top + plotH - (v / yMax) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${left}" y="24" font-size="15" font-weight="bold">${esc(c.title)}</text>`,
  ];
  for (let v = 0; v <= yMax; v += step) {
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${short(v)}</text>`);
  }
  out.push(`<text transform="translate(16 ${top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#555">req/s (median)</text>`);
  c.groups.forEach((g, gi) => {
    const gx = left + groupGap / 2 + gi * (groupW + groupGap);
    c.series.forEach((s, si) => {
      const cell = c.cells.find((x) => x.workload === g.key && x.server === s.key);
      if (!cell) return;
      const x = gx + si * (bar + gap);
      const label = `${s.label}: ${Math.round(cell.rps)} req/s${cell.ratio === null ? "" : ` (${cell.ratio.toFixed(2)})`}`;
      out.push(`<rect x="${x}" y="${y(cell.rps)}" width="${bar}" height="${top + plotH - y(cell.rps)}" fill="${COLORS[si % COLORS.length]}"><title>${esc(label)}</title></rect>`);
      out.push(`<text x="${x + bar / 2}" y="${y(cell.rps) - 4}" text-anchor="middle" font-size="10">${short(cell.rps)}</text>`);
    });
    out.push(`<text x="${gx + groupW / 2}" y="${top + plotH + 20}" text-anchor="middle">${esc(g.label)}</text>`);
  });
  c.series.forEach((s, si) => {
    const ly = top + si * 20;
    out.push(`<rect x="${left + plotW + 10}" y="${ly}" width="12" height="12" fill="${COLORS[si % COLORS.length]}"/>`);
    out.push(`<text x="${left + plotW + 28}" y="${ly + 10}">${esc(s.label)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}
