// Workload 7, fan-out: one room, N subscribers, one publisher; messages delivered per second and
// p99 publish→receive, for a plain ws send loop, Velox's hub and Socket.IO, side by side in one
// run (rounds alternate the servers so drift hits all alike). The publisher keeps a window of
// messages in flight: a message is done when every subscriber has it.
//
//   npx tsx bench/websocket/fanout.ts [--clients 100] [--rounds 3] [--seconds 5] [--window 16] [--impls plain,velox,socketio]
//
// The server runs pinned to CPU 1, this load generator should run on CPU 0:
//   taskset -c 0 npx tsx bench/websocket/fanout.ts
import { parseArgs } from "node:util";
import { Publisher, readStamp, Subscriber, type Impl } from "./clients.ts";
import { startServer } from "./spawn-server.ts";

const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "100" },
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "5" },
    warmup: { type: "string", default: "2" },
    window: { type: "string", default: "16" },
    impls: { type: "string", default: "plain,velox,socketio" },
    cpu: { type: "string", default: "1" },
  },
});

const CLIENTS = Number(values.clients);
const WINDOW = Number(values.window);
const impls = values.impls!.split(",") as Impl[];

interface Result {
  delivered: number;
  p50: number;
  p99: number;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function measure(impl: Impl): Promise<Result> {
  const server = await startServer(impl, { cpu: values.cpu });
  try {
    const counts = new Map<number, number>();
    let latencies: number[] = [];
    let recording = false;
    let done = 0;
    let seq = 0;
    let publisher: Publisher | null = null;
    const sendNext = () => {
      seq++;
      counts.set(seq, 0);
      publisher!.send(seq, performance.now());
    };
    const onMessage = (payload: Buffer) => {
      const { seq: s, t } = readStamp(payload);
      if (recording) latencies.push(performance.now() - t);
      const c = (counts.get(s) ?? 0) + 1;
      if (c === CLIENTS) {
        counts.delete(s);
        if (recording) done++;
        sendNext();
      } else counts.set(s, c);
    };
    const subs: Subscriber[] = [];
    for (let i = 0; i < CLIENTS; i++) subs.push(Subscriber.open(server.port, impl, "bench", onMessage));
    await Promise.all(subs.map((s) => s.ready));
    publisher = await Publisher.open(server.port, impl, "bench");
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < WINDOW; i++) sendNext();
    await new Promise((r) => setTimeout(r, Number(values.warmup) * 1000));
    recording = true;
    latencies = [];
    const started = performance.now();
    await new Promise((r) => setTimeout(r, Number(values.seconds) * 1000));
    recording = false;
    const elapsed = (performance.now() - started) / 1000;
    const sorted = Float64Array.from(latencies).sort();
    publisher.close();
    for (const s of subs) s.close();
    return { delivered: (done * CLIENTS) / elapsed, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
  } finally {
    await server.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const results = new Map<Impl, Result[]>(impls.map((i) => [i, []]));
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const impl of impls) {
    const r = await measure(impl);
    results.get(impl)!.push(r);
    console.error(`round ${round} ${impl}: ${Math.round(r.delivered).toLocaleString("en")} msg/s delivered, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`);
  }
}

const base = median(results.get("plain")?.map((r) => r.delivered) ?? [NaN]);
console.log(`\nFan-out: 1 room × ${CLIENTS} clients, window ${WINDOW}, ${values.rounds} rounds × ${values.seconds} s (medians)\n`);
console.log("| server | delivered msg/s | ratio to plain ws | p50 ms | p99 ms |");
console.log("|---|---|---|---|---|");
for (const impl of impls) {
  const rs = results.get(impl)!;
  const d = median(rs.map((r) => r.delivered));
  console.log(`| ${impl} | ${Math.round(d).toLocaleString("en")} | ${(d / base).toFixed(2)} | ${median(rs.map((r) => r.p50)).toFixed(2)} | ${median(rs.map((r) => r.p99)).toFixed(2)} |`);
}
process.exit(0);
