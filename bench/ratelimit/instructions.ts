// `npx tsx --conditions=velox-source bench/ratelimit/instructions.ts [--only velox,velox-memory] [--requests 4000] [--warmup 6000]`
// Instructions per GET /hello of the rate-limit bench servers under callgrind: deterministic on a
// shared machine, unlike req/s. Each variant runs in a fresh process, warmed up uninstrumented,
// then measured in two halves (the harness of `npm run bench -- --instructions`).
import { parseArgs } from "node:util";
import { compiledServer } from "../src/compile-server.ts";
import { callgrindMissing } from "../src/instructions/under-callgrind.ts";
import { measureCell } from "../src/instructions/measure-cell.ts";
import type { ServerDef } from "../src/registry.ts";

const { values } = parseArgs({ options: { only: { type: "string" }, requests: { type: "string" }, warmup: { type: "string" }, prefix: { type: "string" } } });
const variants = (values.only ?? "velox,velox-two-headers,velox-memory,velox-memory-no-headers,velox-redis,velox-redis-no-headers").split(",");
// Limiters that send RateLimit and RateLimit-Policy are also compared with a route that sends two
// fixed header fields and has no limiter: what node charges for any two more fields, split off.
const SENDS_HEADERS = new Set(["velox-memory", "velox-redis"]);
const missing = callgrindMissing();
if (missing) throw new Error(missing);
const entry = await compiledServer(new URL("./server.ts", import.meta.url).pathname);
const prefix = values.prefix ?? `velox-bench:rl:ir:${process.pid}:`;
const settings = { warmupRequests: Number(values.warmup ?? 6000), requests: Number(values.requests ?? 4000), connections: 4 };

const rows: string[] = [];
let base: number | null = null;
let twoHeaders: number | null = null;
for (const variant of variants) {
  const def: ServerDef = {
    name: variant,
    label: variant,
    node: true,
    command: async (port) => ({ cmd: process.execPath, args: [entry, "--variant", variant, "--port", String(port), "--prefix", prefix, "--timeout-ms", "10000"] }),
    unavailable: () => null,
  };
  const cell = await measureCell(def, { name: "json", label: "GET /hello", method: "GET", path: "/hello" }, settings, () => {});
  if (cell.perRequest === null) throw new Error(`${variant}: ${cell.error}`);
  if (variant === "velox") base = cell.perRequest;
  if (variant === "velox-two-headers") twoHeaders = cell.perRequest;
  const ratio = base === null ? "—" : (base / cell.perRequest).toFixed(3);
  const sameResponse = twoHeaders !== null && SENDS_HEADERS.has(variant) ? (twoHeaders / cell.perRequest).toFixed(3) : "—";
  rows.push(`| ${variant} | ${Math.round(cell.perRequest)} | ${cell.halves!.map(Math.round).join(" / ")} | ${ratio} | ${sameResponse} |`);
  console.error(rows.at(-1));
}
console.log("\n| variant | instructions / request | halves | velox / variant | velox-two-headers / variant |\n|---|---:|---:|---:|---:|");
console.log(rows.join("\n"));
