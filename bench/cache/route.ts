/**
 * A cached route against the same route uncached and against Bentocache on the same work, each
 * served by velox/server in its own process (one at a time), loaded with autocannon from this one.
 * The work: "most viewed 20 of 2,000 items" (a sort), as a popular-items query costs a database.
 *
 *   node --conditions=velox-source --import tsx bench/cache/route.ts [seconds per row, default 5]
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const MODES = ["uncached", "velox-cache", "bentocache"] as const;
/** The part of autocannon's API used here (it ships no types). */
type Autocannon = (options: { url: string; connections: number; duration: number }) => Promise<{ requests: { average: number }; latency: { p99: number }; errors: number; non2xx: number }>;
const AUTOCANNON: string = "autocannon";
type Mode = (typeof MODES)[number];

async function serveMode(mode: Mode): Promise<void> {
  const { Velox } = await import("velox");
  const { serve } = await import("velox/server");
  const items = Array.from({ length: 2_000 }, (_, id) => ({ id, title: `item ${id}`, price: id % 97, views: (id * 7919) % 10_007 }));
  const popular = async () => [...items].sort((a, b) => b.views - a.views).slice(0, 20);
  let read: () => Promise<unknown> = popular;
  if (mode === "velox-cache") {
    const { createCache } = await import("velox/cache");
    const cache = await createCache({ ttl: 60_000 });
    read = () => cache.getOrSet("popular:20", popular);
  } else if (mode === "bentocache") {
    const { BentoCache, bentostore } = await import("bentocache");
    const { memoryDriver } = await import("bentocache/drivers/memory");
    const bento = new BentoCache({ default: "memory", stores: { memory: bentostore().useL1Layer(memoryDriver({ maxItems: 10_000 })) } });
    read = () => bento.getOrSet({ key: "popular:20", factory: popular, ttl: "1m" });
  }
  const app = new Velox({ logger: false });
  app.get("/items/popular", {}, () => read());
  const handle = await serve(app, { port: 0, workers: 0, logger: { info() {}, warn() {}, error() {}, debug() {} } });
  process.stdout.write(`${handle.port}\n`);
}

async function measure(mode: Mode, seconds: number): Promise<{ rps: number; p99: number; errors: number }> {
  const child = spawn(process.execPath, ["--conditions=velox-source", "--import", "tsx", fileURLToPath(import.meta.url), "serve", mode], { stdio: ["ignore", "pipe", "inherit"] });
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  const url = `http://127.0.0.1:${chunk.toString().trim()}/items/popular`;
  const { default: autocannon } = (await import(AUTOCANNON)) as { default: Autocannon };
  await autocannon({ url, connections: 50, duration: 1 }); // warm-up
  const result = await autocannon({ url, connections: 50, duration: seconds });
  child.kill("SIGTERM");
  await once(child, "exit");
  return { rps: Math.round(result.requests.average), p99: result.latency.p99, errors: result.errors + result.non2xx };
}

if (process.argv[2] === "serve") {
  await serveMode(process.argv[3] as Mode);
} else {
  const seconds = Number(process.argv[2] ?? 5);
  const before = loadavg()[0]!.toFixed(2);
  const rows: Record<string, { "req/s": number; "p99 ms": number; "errors+non-2xx": number; "vs uncached": string }> = {};
  const base = await measure("uncached", seconds);
  for (const mode of MODES) {
    const r = mode === "uncached" ? base : await measure(mode, seconds);
    rows[mode] = { "req/s": r.rps, "p99 ms": r.p99, "errors+non-2xx": r.errors, "vs uncached": (r.rps / base.rps).toFixed(2) };
  }
  console.log(`load average ${before} → ${loadavg()[0]!.toFixed(2)}, ${seconds} s per row, 50 connections, node ${process.version}`);
  console.table(rows);
}
