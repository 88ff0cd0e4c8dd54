// Reads the JSON lines of load.sh (one per wrk run, tagged with its workload) and prints the
// medians of req/s, p50, p99 and requests per server CPU-second per workload, plus the failures summed over runs.
import { readFileSync } from "node:fs";

const runs = readFileSync(process.argv[2], "utf8").trim().split("\n").map((line) => JSON.parse(line));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const table = {};
for (const workload of [...new Set(runs.map((run) => run.workload))]) {
  const mine = runs.filter((run) => run.workload === workload);
  table[workload] = {
    runs: mine.length,
    "req/s": Math.round(median(mine.map((run) => run.rps))),
    "p50 ms": median(mine.map((run) => run.p50_ms)),
    "p99 ms": median(mine.map((run) => run.p99_ms)),
    "req/CPU-s": Math.round(median(mine.map((run) => run.requests / run.cpu_s))),
    "non-2xx": mine.reduce((sum, run) => sum + run.non2xx, 0),
    "socket errors": mine.reduce((sum, run) => sum + run.socket_errors, 0),
  };
}
console.table(table);
