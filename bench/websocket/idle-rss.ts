// Workload 7, memory: RSS per idle connection at 10k connections, each subscribed to one room,
// for plain ws, Velox (engine + hub) and Socket.IO. Garbage is collected in the server before each
// reading (GET /stats with --expose-gc), the young generation capped at 1 MiB in every server so
// its growth is not read as per-connection memory. Needs file descriptors for both ends:
//
//   ulimit -n 65536; npx tsx bench/websocket/idle-rss.ts [--connections 10000] [--baseline 10] [--rounds 2] [--impls plain,velox,socketio]
// (--baseline 5000: the 10,000 are measured on top of 5,000 already open; needs 15,000 descriptors per side)
import { parseArgs } from "node:util";
import { Subscriber, type Impl } from "./clients.ts";
import { rssOf, startServer } from "./spawn-server.ts";

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "10000" },
    // Connections open before the first reading. A handful only warms the code; thousands also use
    // up the pages the server committed at startup and freed, which new connections would otherwise
    // fill without growing RSS (an error in favour of servers with a big startup).
    baseline: { type: "string", default: "10" },
    rounds: { type: "string", default: "2" },
    impls: { type: "string", default: "plain,velox,socketio" },
  },
});

const N = Number(values.connections);
const impls = values.impls!.split(",") as Impl[];

async function stats(port: number): Promise<{ heapUsed: number; rss: number }> {
  const res = await fetch(`http://127.0.0.1:${port}/stats`);
  return (await res.json()) as { heapUsed: number; rss: number };
}

async function settle(port: number, pid: number): Promise<{ rss: number; heap: number }> {
  await new Promise((r) => setTimeout(r, 1500));
  await stats(port);
  await new Promise((r) => setTimeout(r, 300));
  const s = await stats(port);
  return { rss: await rssOf(pid), heap: s.heapUsed };
}

async function measure(impl: Impl): Promise<{ rss: number; heap: number }> {
  // A young generation of at most 1 MiB: otherwise how far V8 happened to grow it (up to 32 MiB,
  // 3 KiB per connection at 10k) is most of the noise between two readings of the same server.
  const server = await startServer(impl, { nodeFlags: ["--max-semi-space-size=1"] });
  try {
    // A few connections first, so lazily loaded code is in the baseline.
    const warm: Subscriber[] = [];
    for (let i = 0; i < Number(values.baseline); i += 500) {
      const batch = Array.from({ length: Math.min(500, Number(values.baseline) - i) }, () => Subscriber.open(server.port, impl, "idle", () => undefined));
      await Promise.all(batch.map((s) => s.ready));
      warm.push(...batch);
    }
    const before = await settle(server.port, server.child.pid!);
    const subs: Subscriber[] = [];
    for (let i = 0; i < N; i += 500) {
      const batch = Array.from({ length: Math.min(500, N - i) }, () => Subscriber.open(server.port, impl, "idle", () => undefined));
      await Promise.all(batch.map((s) => s.ready));
      subs.push(...batch);
    }
    const after = await settle(server.port, server.child.pid!);
    for (const s of [...warm, ...subs]) s.close();
    return { rss: (after.rss - before.rss) / N, heap: (after.heap - before.heap) / N };
  } finally {
    await server.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results = new Map<Impl, { rss: number; heap: number }[]>(impls.map((i) => [i, []]));
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const impl of impls) {
    const r = await measure(impl);
    results.get(impl)!.push(r);
    console.error(`round ${round} ${impl}: ${(r.rss / 1024).toFixed(1)} KiB RSS, ${(r.heap / 1024).toFixed(1)} KiB heap per connection`);
  }
}
const base = median(results.get("plain")?.map((r) => r.rss) ?? [NaN]);
console.log(`\nIdle connections: ${N} per server on top of ${values.baseline}, ${values.rounds} rounds (medians; per connection)\n`);
console.log("| server | RSS KiB | heap KiB | RSS ratio to plain ws |");
console.log("|---|---|---|---|");
for (const impl of impls) {
  const rs = results.get(impl)!;
  const rss = median(rs.map((r) => r.rss));
  console.log(`| ${impl} | ${(rss / 1024).toFixed(1)} | ${(median(rs.map((r) => r.heap)) / 1024).toFixed(1)} | ${(rss / base).toFixed(2)} |`);
}
process.exit(0);
