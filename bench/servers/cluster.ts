/**
 * Runs one compiled contract server in N node:cluster workers that share its port, for the
 * multi-worker table: `node cluster.mjs <server.mjs> --workers N --port P`. The same launcher
 * serves every Node server, so they all scale through the same mechanism.
 */
import cluster, { type Worker } from "node:cluster";

const [entry, ...rest] = process.argv.slice(2);
const at = rest.indexOf("--workers");
const workers = Number(rest[at + 1]);
if (!entry || at < 0 || !Number.isInteger(workers) || workers < 1) {
  console.error("usage: cluster.mjs <server.mjs> --workers N --port P");
  process.exit(2);
}
const serverArgs = rest.filter((_, i) => i !== at && i !== at + 1);
let stopping = false;

cluster.setupPrimary({ exec: entry, args: serverArgs });
for (let i = 0; i < workers; i++) cluster.fork();
cluster.on("exit", (worker, code, signal) => {
  if (stopping) return;
  console.error(`worker ${worker.process.pid} died (${signal ?? code}); a benchmark with a dead worker is void`);
  process.exit(1);
});

function stop(): void {
  stopping = true;
  const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
  if (alive.length === 0) process.exit(0);
  let left = alive.length;
  for (const w of alive) {
    w.once("exit", () => {
      if (--left === 0) process.exit(0);
    });
    w.kill("SIGTERM");
  }
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
