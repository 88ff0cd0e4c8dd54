/**
 * Memory-tier hit throughput: `getOrSet` on a warm key, awaited one after another, for velox/cache,
 * Bentocache (memory driver, L1 only) and cache-manager (its default in-memory Keyv), back to back
 * in one process. Prints ops/s per library (median of 5 rounds) and the load average.
 *
 *   node --conditions=velox-source --import tsx bench/cache/memory-hit.ts [ops per round, default 2000000]
 */
import { loadavg } from "node:os";
import { BentoCache, bentostore } from "bentocache";
import { memoryDriver } from "bentocache/drivers/memory";
import { createCache as createCacheManager } from "cache-manager";
import { createCache } from "velox/cache";

const OPS = Number(process.argv[2] ?? 2_000_000);
const KEYS = 1_000;
const keys = Array.from({ length: KEYS }, (_, i) => `item:${i}`);
const value = { id: 1, title: "Lamp", price: 12.5 };
const load = async () => value;

type Hit = (key: string) => Promise<unknown>;

async function opsPerSecond(hit: Hit, ops: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) await hit(keys[i % KEYS]!);
  return ops / (Number(process.hrtime.bigint() - started) / 1e9);
}

const velox = await createCache({ ttl: 3_600_000 });
const bento = new BentoCache({ default: "memory", stores: { memory: bentostore().useL1Layer(memoryDriver({ maxItems: 10_000 })) } });
const manager = createCacheManager();

const contenders: Record<string, { hit: Hit; ops: number }> = {
  "velox/cache": { hit: (key) => velox.getOrSet(key, load), ops: OPS },
  bentocache: { hit: (key) => bento.getOrSet({ key, factory: load, ttl: "1h" }), ops: Math.ceil(OPS / 4) },
  "cache-manager": { hit: (key) => manager.wrap(key, load, 3_600_000), ops: Math.ceil(OPS / 4) },
};
for (const { hit } of Object.values(contenders)) for (const key of keys) await hit(key); // warm

const results: Record<string, number[]> = {};
for (let round = 0; round < 5; round++) {
  for (const [name, { hit, ops }] of Object.entries(contenders)) (results[name] ??= []).push(await opsPerSecond(hit, ops));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}, node ${process.version}`);
console.table(Object.fromEntries(Object.entries(results).map(([name, values]) => [name, { "ops/s (median of 5)": Math.round(median(values)), "vs velox/cache": (median(values) / median(results["velox/cache"]!)).toFixed(3) }])));
await velox.close();
await bento.disconnect();
