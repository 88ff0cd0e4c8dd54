/**
 * `npm run bench:uploads`: workload 6 of shared/bench-workloads.md.
 * - multipart64: `POST /upload` (64 KiB file + two text fields, hashed and written to a temp
 *   file) with wrk, side by side against a bare busboy pipe and Fastify + @fastify/multipart.
 * - stream: one large upload (1 GiB by default) streamed to a temp file, Velox against the bare
 *   busboy pipe: throughput ratio (target ≥ 0.90) and the server's RSS growth (target < 16 MiB).
 * Rounds alternate servers (A B C, then C B A, …) so drift on the shared machine hits all alike.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../free-port.ts";
import { runCommand } from "../load/run-command.ts";
import { parseWrk } from "../load/wrk-parse.ts";
import type { LoadResult } from "../load/types.ts";
import { describeMachine } from "../machine.ts";
import { BENCH_DIR } from "../paths.ts";
import { placed } from "../pin.ts";
import { startServer, type RunningServer } from "../server-process.ts";
import { median } from "../stats.ts";
import { which } from "../which.ts";
import { writeResults } from "../write-results.ts";
import { UPLOAD_CONTENT_TYPE, uploadForm, uploadFormWithoutFile } from "./bodies.ts";
import { UPLOAD_SERVERS } from "./servers.ts";
import { streamUpload, type StreamResult } from "./stream-upload.ts";

const SERVER_CORE = 1;
const LOAD_CORE = 0;
const MiB = 1024 * 1024;
const log = (line: string) => console.log(line);

interface Args {
  rows: Set<"multipart64" | "stream">;
  rounds: number;
  seconds: number;
  warmup: number;
  connections: number;
  streamMiB: number;
  pin: boolean;
  servers: Set<string>;
  /** TMPDIR of the servers (where every one of them writes its temp files). */
  tmpdir: string | null;
}

const USAGE = `npm run bench:uploads -- [--rows multipart64,stream] [--rounds 3] [--seconds 10] [--warmup 3]
                              [--connections 50] [--stream-mib 1024] [--servers busboy,velox,fastify] [--tmpdir DIR] [--no-pin]`;

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { rows: new Set(["multipart64", "stream"]), rounds: 3, seconds: 10, warmup: 3, connections: 50, streamMiB: 1024, pin: true, servers: new Set(UPLOAD_SERVERS.map((d) => d.name)), tmpdir: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    const count = () => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer\n${USAGE}`);
      return n;
    };
    switch (flag) {
      case "--rows": {
        const rows = value().split(",");
        for (const r of rows) if (r !== "multipart64" && r !== "stream") throw new Error(`unknown row ${r}\n${USAGE}`);
        args.rows = new Set(rows as ("multipart64" | "stream")[]);
        break;
      }
      case "--rounds": args.rounds = count(); break;
      case "--seconds": args.seconds = count(); break;
      case "--warmup": args.warmup = Number(value()); break;
      case "--connections": args.connections = count(); break;
      case "--stream-mib": args.streamMiB = count(); break;
      case "--no-pin": args.pin = false; break;
      case "--tmpdir": args.tmpdir = value(); break;
      case "--servers": {
        const names = value().split(",");
        for (const n of names) if (!UPLOAD_SERVERS.some((d) => d.name === n)) throw new Error(`unknown server ${n}\n${USAGE}`);
        if (!names.includes("busboy")) throw new Error(`the busboy baseline must run (ratios are to it)\n${USAGE}`);
        args.servers = new Set(names);
        break;
      }
      case "--help": throw new Error(USAGE);
      default: throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return args;
}

/** Every server must give the same answers before anything is timed. */
async function checkContract(server: RunningServer): Promise<void> {
  const { body, expected } = uploadForm();
  const ok = await fetch(`${server.url}/upload`, { method: "POST", headers: { "content-type": UPLOAD_CONTENT_TYPE }, body });
  const answer = await ok.json();
  if (ok.status !== 201 || JSON.stringify(answer) !== JSON.stringify(expected)) {
    throw new Error(`${server.def.name} POST /upload answered ${ok.status} ${JSON.stringify(answer)}, expected 201 ${JSON.stringify(expected)}`);
  }
  const missing = await fetch(`${server.url}/upload`, { method: "POST", headers: { "content-type": UPLOAD_CONTENT_TYPE }, body: uploadFormWithoutFile() });
  await missing.arrayBuffer();
  if (missing.status !== 422) throw new Error(`${server.def.name} POST /upload without a file answered ${missing.status}, expected 422`);
}

async function wrkUpload(server: RunningServer, bodyFile: string, seconds: number, args: Args): Promise<LoadResult> {
  const wrkArgs = ["-t1", `-c${args.connections}`, `-d${seconds}s`, "--latency", "-s", join(BENCH_DIR, "wrk", "multipart.lua"), `${server.url}/upload`];
  const { cmd, args: full } = placed({ core: args.pin ? LOAD_CORE : null }, "wrk", wrkArgs);
  return parseWrk(await runCommand(cmd, full, { ...process.env, WRK_BODY_FILE: bodyFile, WRK_CONTENT_TYPE: UPLOAD_CONTENT_TYPE }));
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** A B C in odd rounds, C B A in even ones: what a run leaves behind (dirty pages, heat) hits all alike. */
function inTurn<T>(servers: readonly T[], round: number): readonly T[] {
  return round % 2 === 1 ? servers : [...servers].reverse();
}

/** The median of per-round ratios (steadier than a ratio of medians when the machine's speed drifts). */
function paired(values: readonly number[], base: readonly number[]): string {
  if (values.length === 0 || values.length !== base.length) return "–";
  return median(values.map((v, i) => v / base[i]!)).toFixed(2);
}

async function multipartRow(servers: RunningServer[], args: Args, lines: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "velox-bench-upload-"));
  const bodyFile = join(dir, "body.bin");
  writeFileSync(bodyFile, uploadForm().body);
  try {
    const runs = new Map<string, (LoadResult & { cpuMsPerRequest: number })[]>(servers.map((s) => [s.def.name, []]));
    if (args.warmup > 0) for (const s of servers) {
      log(`[multipart64] warm-up ${s.def.name} (${args.warmup} s)`);
      await wrkUpload(s, bodyFile, args.warmup, args);
    }
    for (let round = 1; round <= args.rounds; round++) {
      for (const s of inTurn(servers, round)) {
        const cpu0 = s.cpuSeconds();
        const load = await wrkUpload(s, bodyFile, args.seconds, args);
        const cpu1 = s.cpuSeconds();
        const r = { ...load, cpuMsPerRequest: cpu0 === null || cpu1 === null || load.requests === 0 ? Number.NaN : ((cpu1 - cpu0) * 1000) / load.requests };
        runs.get(s.def.name)!.push(r);
        const bad = r.non2xx || r.errors ? `  non-2xx ${r.non2xx} errors ${r.errors}` : "";
        log(`[multipart64] run ${round}/${args.rounds} ${s.def.name.padEnd(8)} ${fmt(r.rps).padStart(7)} req/s  p50 ${fmt(r.p50Ms, 2)} ms  p99 ${fmt(r.p99Ms, 2)} ms  server CPU ${fmt(r.cpuMsPerRequest, 3)} ms/request${bad}`);
      }
    }
    const rpsOf = (name: string) => runs.get(name)?.map((r) => r.rps) ?? [];
    lines.push("### POST /upload, 64 KiB file + two fields (workload 6)", "",
      "Ratios are paired: the median over rounds of each round's req/s over the baseline's in that round.", "",
      "| server | req/s (median) | p50 ms | p99 ms | vs bare busboy | vs Fastify | server CPU ms/request (median) | non-2xx / errors |", "|---|---|---|---|---|---|---|---|");
    for (const s of servers) {
      const rs = runs.get(s.def.name)!;
      const rps = median(rs.map((r) => r.rps));
      const bad = rs.reduce((n, r) => n + r.non2xx + r.errors, 0);
      lines.push(`| ${s.def.label} | ${fmt(rps)} | ${fmt(median(rs.map((r) => r.p50Ms)), 2)} | ${fmt(median(rs.map((r) => r.p99Ms)), 2)} | ${paired(rpsOf(s.def.name), rpsOf("busboy"))} | ${paired(rpsOf(s.def.name), rpsOf("fastify"))} | ${fmt(median(rs.map((r) => r.cpuMsPerRequest)), 3)} | ${bad} |`);
    }
    lines.push("");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function streamRow(servers: RunningServer[], args: Args, lines: string[]): Promise<void> {
  const size = args.streamMiB * MiB;
  const contenders = servers.filter((s) => s.def.name === "busboy" || s.def.name === "velox");
  const results = new Map<string, StreamResult[]>(contenders.map((s) => [s.def.name, []]));
  // RSS before any streamed upload, then a 64 MiB warm-up.
  const idle = new Map(contenders.map((s) => [s.def.name, s.rss() ?? Number.NaN]));
  for (const s of contenders) await streamUpload(`${s.url}/stream`, 64 * MiB, () => s.rss());
  for (let round = 1; round <= args.rounds; round++) {
    for (const s of inTurn(contenders, round)) {
      const r = await streamUpload(`${s.url}/stream`, size, () => s.rss());
      if (r.reportedSize !== size) throw new Error(`${s.def.name} reported ${r.reportedSize} bytes, sent ${size}`);
      results.get(s.def.name)!.push(r);
      log(`[stream] run ${round}/${args.rounds} ${s.def.name.padEnd(8)} ${fmt(r.mbPerS)} MB/s  ${fmt(r.seconds, 2)} s  RSS ${fmt(r.rssBeforeMiB, 1)} → peak ${fmt(r.rssPeakMiB, 1)} MiB`);
    }
  }
  const base = results.get("busboy")!.map((r) => r.mbPerS);
  lines.push(`### A ${args.streamMiB} MiB upload streamed to a temp file${args.tmpdir ? ` in ${args.tmpdir}` : ""}`, "",
    "| server | MB/s (median) | vs bare busboy, paired (target ≥ 0.90) | RSS growth during an upload, MiB (max of peak − before; target < 16) | highest RSS − RSS before the first upload, MiB |", "|---|---|---|---|---|");
  for (const s of contenders) {
    const rs = results.get(s.def.name)!;
    const mb = rs.map((r) => r.mbPerS);
    const growth = Math.max(...rs.map((r) => r.rssPeakMiB - r.rssBeforeMiB));
    const sinceIdle = Math.max(...rs.map((r) => r.rssPeakMiB)) - idle.get(s.def.name)!;
    lines.push(`| ${s.def.label} | ${fmt(median(mb))} | ${paired(mb, base)} | ${fmt(growth, 1)} | ${fmt(sinceIdle, 1)} |`);
  }
  lines.push("");
}

function machineLine(): string {
  const m = describeMachine(null);
  const versions = [`node ${m.versions.node}`, ...["fastify", "@fastify/multipart", "@fastify/busboy", "wrk"].map((p) => (m.versions[p] ? `${p} ${m.versions[p]}` : null)).filter(Boolean)];
  return `${m.nproc} cores (${m.cpu}), Linux ${m.kernel}; ${versions.join(", ")}. The machine was shared with other work.`;
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  if (args.rows.has("multipart64") && !which("wrk")) {
    console.error("wrk is not installed (apt-get install wrk, or bench/setup.sh)");
    return 1;
  }
  if (args.tmpdir !== null) process.env.TMPDIR = args.tmpdir;
  const started: RunningServer[] = [];
  try {
    for (const def of UPLOAD_SERVERS.filter((d) => args.servers.has(d.name))) {
      const server = await startServer(def, await freePort(), { core: args.pin ? SERVER_CORE : null });
      started.push(server);
      await checkContract(server);
      log(`${def.name}: contract ok`);
    }
    const date = new Date().toISOString();
    const before = loadavg()[0]!;
    const lines = [`# Upload benchmarks, ${date}`, "", machineLine(), ""];
    if (args.rows.has("multipart64")) await multipartRow(started, args, lines);
    if (args.rows.has("stream")) await streamRow(started, args, lines);
    lines.push(`Servers pinned to core ${SERVER_CORE}${args.pin ? `, wrk to core ${LOAD_CORE}` : " (not pinned)"}; ${args.rounds} rounds in alternating order (A B C, C B A, …); 1-minute load average ${before.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after.`);
    const report = lines.join("\n");
    log(`\n${report}`);
    log(`Results: ${writeResults(`${date}-uploads`, { "results.md": report })}`);
    return 0;
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  } finally {
    await Promise.all(started.map((s) => s.stop()));
  }
}
