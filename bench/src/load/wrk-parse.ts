import type { LoadResult } from "./types.ts";

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function durationMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) throw new Error(`unreadable wrk duration: ${text}`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

function percentile(out: string, p: number): number {
  const m = new RegExp(`^\\s*${p}(?:\\.0+)?%\\s+(\\S+)`, "m").exec(out);
  if (!m) throw new Error(`wrk output lacks the ${p}% latency (was --latency given?)`);
  return durationMs(m[1]!);
}

/** Reads wrk 4's text report. */
export function parseWrk(out: string): LoadResult {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(out);
  const total = /^\s*(\d+) requests in/m.exec(out);
  if (!rps || !total) throw new Error(`unreadable wrk output:\n${out}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = sock ? sock.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    rps: Number(rps[1]),
    p50Ms: percentile(out, 50),
    p99Ms: percentile(out, 99),
    requests: Number(total[1]),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    errors,
  };
}
