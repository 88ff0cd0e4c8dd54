/**
 * The GZip bench row: a 10 KiB JSON response compressed with gzip, Velox (velox/middleware/compress)
 * against Fastify 5 + @fastify/compress, side by side in one run. Servers on core 1, wrk on core 0,
 * rounds alternating; medians of req/s and latency, and the paired ratio (each round's Velox req/s
 * over Fastify's). Every response is checked to be gzip and to decode to the same JSON first.
 *
 *   npx tsx bench/gzip.ts                # 3 rounds × 10 s after a 3 s warm-up per server
 *   npx tsx bench/gzip.ts --rounds 5 --seconds 5
 */
import { request } from "node:http";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { compiledServer, removeCompiledServers } from "./src/compile-server.ts";
import { freePort } from "./src/free-port.ts";
import { runCommand } from "./src/load/run-command.ts";
import { parseWrk } from "./src/load/wrk-parse.ts";
import type { LoadResult } from "./src/load/types.ts";
import { BENCH_DIR } from "./src/paths.ts";
import { placed } from "./src/pin.ts";
import type { ServerDef } from "./src/registry.ts";
import { startServer, type RunningServer } from "./src/server-process.ts";
import { median } from "./src/stats.ts";
import { GZIP_USERS } from "./servers/gzip-fixtures.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const ROUNDS = arg("rounds", 3);
const SECONDS = arg("seconds", 10);
const WARMUP = arg("warmup", 3);

function server(name: string, label: string, file: string): ServerDef {
  return {
    name,
    label,
    node: true,
    command: async (port) => ({ cmd: process.execPath, args: [await compiledServer(join(BENCH_DIR, "servers", file)), "--port", String(port)] }),
    unavailable: () => null,
  };
}

const SERVERS = [
  server("velox", "Velox + velox/middleware/compress", "velox-gzip.ts"),
  server("fastify", "Fastify 5 + @fastify/compress", "fastify-gzip.ts"),
];

function fetchRaw(url: string, encoding: string | null): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: encoding ? { "accept-encoding": encoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function check(s: RunningServer): Promise<number> {
  const expected = JSON.stringify(GZIP_USERS);
  const gz = await fetchRaw(`${s.url}/gzip`, "gzip");
  if (gz.headers["content-encoding"] !== "gzip") throw new Error(`${s.def.name}: not gzip (${String(gz.headers["content-encoding"])})`);
  if (JSON.stringify(JSON.parse(gunzipSync(gz.body).toString())) !== expected) throw new Error(`${s.def.name}: gzip body differs`);
  const plain = await fetchRaw(`${s.url}/gzip`, null);
  if (plain.headers["content-encoding"] !== undefined || JSON.stringify(JSON.parse(plain.body.toString())) !== expected) throw new Error(`${s.def.name}: identity body differs`);
  return gz.body.length;
}

async function wrk(url: string, seconds: number, gzip: boolean): Promise<LoadResult> {
  const args = ["-t1", "-c50", `-d${seconds}s`, "--latency", ...(gzip ? ["-H", "Accept-Encoding: gzip"] : []), url];
  const { cmd, args: full } = placed({ core: 0 }, "wrk", args);
  return parseWrk(await runCommand(cmd, full));
}

interface Row { rps: number[]; p50: number[]; p99: number[]; bytes: number; identity: number[] }

async function main(): Promise<void> {
  const running: RunningServer[] = [];
  try {
    for (const def of SERVERS) running.push(await startServer(def, await freePort(), { core: 1 }));
    const rows = new Map<string, Row>();
    for (const s of running) rows.set(s.def.name, { rps: [], p50: [], p99: [], bytes: await check(s), identity: [] });
    for (const s of running) {
      await wrk(`${s.url}/gzip`, WARMUP, true);
      await wrk(`${s.url}/gzip`, WARMUP, false);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of round % 2 === 0 ? running : [...running].reverse()) {
        const r = await wrk(`${s.url}/gzip`, SECONDS, true);
        if (r.non2xx > 0 || r.errors > 0) throw new Error(`${s.def.name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        const row = rows.get(s.def.name)!;
        row.rps.push(r.rps);
        row.p50.push(r.p50Ms);
        row.p99.push(r.p99Ms);
        const plain = await wrk(`${s.url}/gzip`, SECONDS, false);
        row.identity.push(plain.rps);
        console.error(`round ${round + 1} ${s.def.name}: gzip ${Math.round(r.rps)} req/s, identity ${Math.round(plain.rps)} req/s`);
      }
    }
    const velox = rows.get("velox")!;
    const fastify = rows.get("fastify")!;
    const paired = median(velox.rps.map((v, i) => v / fastify.rps[i]!));
    const pairedIdentity = median(velox.identity.map((v, i) => v / fastify.identity[i]!));
    console.log(`GZip, GET of a ${Buffer.byteLength(JSON.stringify(GZIP_USERS))}-byte JSON response (wrk -t1 -c50, ${ROUNDS} × ${SECONDS} s, server on core 1, wrk on core 0)\n`);
    console.log("| server | gzip req/s | p50 ms | p99 ms | gzip bytes | same server, identity req/s |");
    console.log("|---|---|---|---|---|---|");
    for (const s of running) {
      const row = rows.get(s.def.name)!;
      console.log(`| ${s.def.label} | ${Math.round(median(row.rps)).toLocaleString("en")} | ${median(row.p50).toFixed(2)} | ${median(row.p99).toFixed(2)} | ${row.bytes} | ${Math.round(median(row.identity)).toLocaleString("en")} |`);
    }
    console.log(`\nVelox / Fastify, paired median over rounds: gzip ${paired.toFixed(2)}, identity ${pairedIdentity.toFixed(2)}`);
  } finally {
    for (const s of running) await s.stop();
    removeCompiledServers();
  }
}

await main();
