export const int = (n: number) => Math.round(n).toLocaleString("en-US");
export const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
export const ratio = (r: number | null) => (r === null ? "n/a" : r.toFixed(2));
export const mib = (n: number | null) => (n === null ? "n/a" : n.toFixed(0));
/** One row of a markdown table. */
export const row = (cols: readonly string[]) => `| ${cols.join(" | ")} |`;
