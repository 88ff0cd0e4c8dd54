// Workload 7, across processes: two server processes (workers or instances: they share nothing
// but Redis) and one publisher sending at a fixed rate into one room whose subscribers are split
// over both; p50/p99 publish→receive for the subscribers on the publisher's process and on the
// other one. Velox's hub with its Redis adapter against Socket.IO with @socket.io/redis-adapter.
//
//   npx tsx bench/websocket/cluster-latency.ts [--rate 10000] [--clients 10] [--seconds 5] [--redis redis://127.0.0.1:6379]
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { Publisher, readStamp, Subscriber, type Impl } from "./clients.ts";
import { cpuOf, startServer } from "./spawn-server.ts";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "10000" },
    clients: { type: "string", default: "10" },
    seconds: { type: "string", default: "5" },
    warmup: { type: "string", default: "1" },
    rounds: { type: "string", default: "2" },
    redis: { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
    impls: { type: "string", default: "velox,socketio" },
  },
});

const RATE = Number(values.rate);
const CLIENTS = Number(values.clients);

interface Row {
  sent: number;
  received: number;
  local: { p50: number; p99: number };
  remote: { p50: number; p99: number };
  /** CPU ms of the publisher's server and of the other one per 1,000 messages published while recording. */
  cpu: { a: number; b: number };
}

const pct = (xs: number[], p: number) => {
  const s = Float64Array.from(xs).sort();
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
};

async function cleanup(prefix: string): Promise<void> {
  const r = new Redis(values.redis!);
  let cursor = "0";
  do {
    const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) await r.del(...keys);
  } while (cursor !== "0");
  r.disconnect();
}

async function measure(impl: Impl): Promise<Row> {
  const prefix = `velox-bench:${randomBytes(4).toString("hex")}`;
  const a = await startServer(impl, { redis: values.redis, prefix });
  const b = await startServer(impl, { redis: values.redis, prefix });
  try {
    let recording = false;
    const local: number[] = [];
    const remote: number[] = [];
    let received = 0;
    const subs: Subscriber[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const onA = i % 2 === 0;
      subs.push(Subscriber.open(onA ? a.port : b.port, impl, "bench", (payload) => {
        if (!recording) return;
        received++;
        (onA ? local : remote).push(performance.now() - readStamp(payload).t);
      }));
    }
    await Promise.all(subs.map((s) => s.ready));
    await new Promise((r) => setTimeout(r, 300));
    const pub = await Publisher.open(a.port, impl, "bench");
    let seq = 0;
    let sent = 0;
    const perTick = Math.max(1, Math.round(RATE / 1000));
    const started = performance.now();
    const timer = setInterval(() => {
      // Keep to the rate over time even when ticks are late on a busy machine.
      const due = Math.floor(((performance.now() - started) / 1000) * RATE);
      for (let n = 0; seq < due && n < perTick * 5; n++) {
        pub.send(++seq, performance.now());
        if (recording) sent++;
      }
    }, 1);
    await new Promise((r) => setTimeout(r, Number(values.warmup) * 1000));
    recording = true;
    const cpu0 = [await cpuOf(a.child.pid!), await cpuOf(b.child.pid!)];
    await new Promise((r) => setTimeout(r, Number(values.seconds) * 1000));
    recording = false;
    const cpu1 = [await cpuOf(a.child.pid!), await cpuOf(b.child.pid!)];
    clearInterval(timer);
    pub.close();
    for (const s of subs) s.close();
    const per1k = (ms: number) => (ms / Math.max(1, sent)) * 1000;
    return { sent, received, local: { p50: pct(local, 0.5), p99: pct(local, 0.99) }, remote: { p50: pct(remote, 0.5), p99: pct(remote, 0.99) }, cpu: { a: per1k(cpu1[0]! - cpu0[0]!), b: per1k(cpu1[1]! - cpu0[1]!) } };
  } finally {
    await a.stop();
    await b.stop();
    await cleanup(prefix);
  }
}

const rows = new Map<Impl, Row[]>();
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const impl of values.impls!.split(",") as Impl[]) {
    const r = await measure(impl);
    rows.set(impl, [...(rows.get(impl) ?? []), r]);
    console.error(`round ${round} ${impl}: sent ${r.sent}, received ${r.received}; same process p50 ${r.local.p50.toFixed(2)} p99 ${r.local.p99.toFixed(2)} ms; other process p50 ${r.remote.p50.toFixed(2)} p99 ${r.remote.p99.toFixed(2)} ms; CPU per 1k messages ${r.cpu.a.toFixed(0)} / ${r.cpu.b.toFixed(0)} ms`);
  }
}
const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
console.log(`\n2 processes + Redis, ${RATE} msg/s published into one room of ${CLIENTS} subscribers (half on each process), ${values.rounds} rounds × ${values.seconds} s (medians)\n`);
console.log("| server | msg/s published | deliveries/s | same process p50 / p99 ms | other process p50 / p99 ms | CPU ms per 1k msgs, publisher's / other process |");
console.log("|---|---|---|---|---|---|");
for (const [impl, rs] of rows) {
  const secs = Number(values.seconds);
  console.log(`| ${impl} | ${Math.round(med(rs.map((r) => r.sent)) / secs).toLocaleString("en")} | ${Math.round(med(rs.map((r) => r.received)) / secs).toLocaleString("en")} | ${med(rs.map((r) => r.local.p50)).toFixed(2)} / ${med(rs.map((r) => r.local.p99)).toFixed(2)} | ${med(rs.map((r) => r.remote.p50)).toFixed(2)} / ${med(rs.map((r) => r.remote.p99)).toFixed(2)} | ${med(rs.map((r) => r.cpu.a)).toFixed(0)} / ${med(rs.map((r) => r.cpu.b)).toFixed(0)} |`);
}
process.exit(0);
