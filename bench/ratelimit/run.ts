// `npx tsx --conditions=velox-source bench/ratelimit/run.ts [--seconds 5] [--rounds 2] [--connections 50] [--keys 10000]`
// Throughput of GET /hello with and without a rate limiter, on Velox (velox/ratelimit in memory
// and in Redis, rate-limiter-flexible in a hook) and Fastify (@fastify/rate-limit), measured with
// wrk in one run, variants interleaved round by round. A benchmark, not a test: the machine is
// shared, so compare the ratios of one run, printed with the load average. With --keys N, wrk sends
// N distinct X-Client values (random per request) and every limiter counts per value: many
// clients instead of one, so a turn's requests rarely share a bucket.
import { fork, type ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";

const { values } = parseArgs({ options: { seconds: { type: "string" }, rounds: { type: "string" }, connections: { type: "string" }, only: { type: "string" }, keys: { type: "string" } } });
const KEYS = values.keys === undefined ? null : Number(values.keys);
const SECONDS = Number(values.seconds ?? 5);
const ROUNDS = Number(values.rounds ?? 2);
const CONNECTIONS = Number(values.connections ?? 50);
const REDIS_URL = process.env.VELOX_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const VARIANTS = (values.only ?? "velox,velox-noop-hook,velox-memory,velox-memory-no-headers,velox-redis,velox-rlf-memory,velox-rlf-redis,fastify,fastify-rate-limit,fastify-rate-limit-redis").split(",");
const BASELINE: Record<string, string> = { "velox-memory": "velox", "velox-memory-no-headers": "velox", "velox-noop-hook": "velox", "velox-redis": "velox", "velox-redis-no-headers": "velox", "velox-async-hook": "velox", "velox-immediate-hook": "velox", "velox-two-headers": "velox", "velox-rlf-memory": "velox", "velox-rlf-redis": "velox", "fastify-rate-limit": "fastify", "fastify-rate-limit-redis": "fastify" };
const SERVER = fileURLToPath(new URL("./server.ts", import.meta.url));
const prefix = `velox-bench:rl:${randomBytes(4).toString("hex")}:`;

async function start(variant: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(SERVER, ["--variant", variant, "--prefix", prefix, ...(KEYS === null ? [] : ["--key-header", "x-client"])], { execArgv: ["--import", "tsx", "--conditions=velox-source"], stdio: "inherit" });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`${variant} exited with ${code}`)));
  });
  return { child, port };
}

function wrk(port: number, seconds: number): { rps: number; requests: number } {
  const script = KEYS === null ? [] : ["-s", manyClients(KEYS)];
  const out = execFileSync("wrk", ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, ...script, `http://127.0.0.1:${port}/hello`], { encoding: "utf8" });
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  if (non2xx) throw new Error(`${non2xx[1]} responses were not 200`);
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN), requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? Number.NaN) };
}

/** A wrk script sending a random one of `keys` X-Client values per request (written once, to a temp file). */
function manyClients(keys: number): string {
  const file = join(tmpdir(), `velox-rl-clients-${keys}.lua`);
  writeFileSync(file, `request = function()\n  return wrk.format("GET", "/hello", { ["X-Client"] = "c" .. math.random(1, ${keys}) })\nend\n`);
  return file;
}

function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once("message", (usage) => resolve(((usage as NodeJS.CpuUsage).user + (usage as NodeJS.CpuUsage).system) / 1000));
    child.send("cpu");
  });
}

const results = new Map<string, number[]>(VARIANTS.map((v) => [v, []]));
/** Server CPU milliseconds per 1,000 requests, per measurement. */
const cpu = new Map<string, number[]>(VARIANTS.map((v) => [v, []]));
const load: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of VARIANTS) {
    const { child, port } = await start(variant);
    try {
      wrk(port, 1); // warm-up: JIT, connections, the script cached in Redis
      load.push(loadavg()[0]!);
      const before = await cpuOf(child);
      const { rps, requests } = wrk(port, SECONDS);
      cpu.get(variant)!.push(((await cpuOf(child)) - before) / (requests / 1000));
      results.get(variant)!.push(rps);
    } finally {
      child.kill();
    }
  }
}

const redis = new Redis(REDIS_URL);
let cursor = "0";
do {
  const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
  cursor = next;
  if (keys.length > 0) await redis.del(...keys);
} while (cursor !== "0");
redis.disconnect();

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`\nGET /hello, wrk -t1 -c${CONNECTIONS}${KEYS === null ? ", one client" : `, ${KEYS} clients (X-Client)`}, ${ROUNDS} × ${SECONDS} s per variant, interleaved; load average during the run ${Math.min(...load).toFixed(2)}–${Math.max(...load).toFixed(2)} (1 min)\n`);
console.log("| variant | req/s | req/s vs baseline | server CPU ms / 1k req | CPU-bound throughput vs baseline |");
console.log("|---|---:|---:|---:|---:|");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const variant of VARIANTS) {
  const rps = mean(results.get(variant)!);
  const ms = median(cpu.get(variant)!);
  const base = BASELINE[variant];
  const ratio = base && results.has(base) ? (rps / mean(results.get(base)!)).toFixed(3) : "—";
  const cpuRatio = base && cpu.has(base) ? (median(cpu.get(base)!) / ms).toFixed(3) : "—";
  console.log(`| ${variant} | ${Math.round(rps)} | ${ratio} | ${ms.toFixed(1)} | ${cpuRatio} |`);
}
process.exit(0);
