// Idle-memory analysis (workload 7): heap snapshots of one server before and after N idle
// connections, diffed by constructor — what a server keeps per idle connection.
//
//   npx tsx bench/websocket/heap-diff.ts --impl velox-app [--connections 2000] [--top 30]
import { readFile, unlink } from "node:fs/promises";
import { parseArgs } from "node:util";
import { Subscriber, type Impl } from "./clients.ts";
import { startServer } from "./spawn-server.ts";

const { values } = parseArgs({
  options: {
    impl: { type: "string", default: "velox-app" },
    connections: { type: "string", default: "2000" },
    top: { type: "string", default: "30" },
  },
});
const N = Number(values.connections);
const impl = values.impl as Impl;

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
  locations?: number[];
}

/** Count and self size of live objects per "type:name" (closures by name, objects by constructor). */
async function census(file: string): Promise<Map<string, { count: number; size: number }>> {
  const snap = JSON.parse(await readFile(file, "utf8")) as Snapshot;
  await unlink(file);
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [t, n, s] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
  const out = new Map<string, { count: number; size: number }>();
  // Anonymous closures are told apart by where they were defined (script id:line:column).
  const where = new Map<number, string>();
  const locs = snap.locations ?? [];
  for (let i = 0; i < locs.length; i += 4) where.set(locs[i]!, `@${locs[i + 1]}:${locs[i + 2]! + 1}:${locs[i + 3]}`);
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + t!]!]!;
    let name = snap.strings[snap.nodes[i + n!]!]!;
    if (type === "string" || type === "concatenated string" || type === "sliced string") name = "";
    if (name.length > 60) name = name.slice(0, 60);
    const key = type === "closure" ? `${type}:${name}${where.get(i) ?? ""}` : `${type}:${name}`;
    const e = out.get(key) ?? { count: 0, size: 0 };
    e.count++;
    e.size += snap.nodes[i + s!]!;
    out.set(key, e);
  }
  return out;
}

const server = await startServer(impl);
const shot = async () => (await (await fetch(`http://127.0.0.1:${server.port}/snapshot`)).text()).trim();
try {
  const warm = Array.from({ length: 10 }, () => Subscriber.open(server.port, impl, "idle", () => undefined));
  await Promise.all(warm.map((s) => s.ready));
  await new Promise((r) => setTimeout(r, 500));
  const before = await census(await shot());
  const subs: Subscriber[] = [];
  for (let i = 0; i < N; i += 500) {
    const batch = Array.from({ length: Math.min(500, N - i) }, () => Subscriber.open(server.port, impl, "idle", () => undefined));
    await Promise.all(batch.map((b) => b.ready));
    subs.push(...batch);
  }
  await new Promise((r) => setTimeout(r, 1000));
  const after = await census(await shot());
  const rows = [...after].map(([k, a]) => {
    const b = before.get(k) ?? { count: 0, size: 0 };
    return { k, count: (a.count - b.count) / N, size: (a.size - b.size) / N };
  }).filter((r) => Math.abs(r.size) >= 1).sort((x, y) => y.size - x.size);
  const total = rows.reduce((sum, r) => sum + r.size, 0);
  console.log(`${impl}: ${total.toFixed(0)} bytes of heap per connection (self sizes, ${N} connections)`);
  for (const r of rows.slice(0, Number(values.top))) console.log(`${r.size.toFixed(0).padStart(6)} B  ${r.count.toFixed(2).padStart(6)}×  ${r.k}`);
  for (const s of [...warm, ...subs]) s.close();
} finally {
  await server.stop();
}
process.exit(0);
