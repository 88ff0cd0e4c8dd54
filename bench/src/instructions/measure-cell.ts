/**
 * One cell of the instructions table: a fresh server under callgrind, uninstrumented warm-up, then
 * the measured requests in two halves (each its own dump) on connections already open, so that
 * every cell shows whether it was steady: halves that disagree mean the warm-up was too short.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../free-port.ts";
import type { ServerDef } from "../registry.ts";
import { startServer, type RunningServer } from "../server-process.ts";
import type { Workload, WorkloadName } from "../workloads.ts";
import { dumpIr, instrumentationOn } from "./callgrind-control.ts";
import { CountClient, type CountResult } from "./count-client.ts";
import { underCallgrind } from "./under-callgrind.ts";

export interface CellSettings {
  warmupRequests: number;
  requests: number;
  connections: number;
}

export interface CellResult {
  server: string;
  workload: WorkloadName;
  warmupRequests: number;
  /** Instructions per request over all measured requests; null when the cell failed. */
  perRequest: number | null;
  /** Instructions per request of the first and the second half of the measured requests. */
  halves: [number, number] | null;
  /** Wall-clock seconds of the whole cell, start-up included. */
  seconds: number;
  /** Why the cell has no figure (the full message; the table shows its first line). */
  error: string | null;
}

/** Start-up alone takes 3–30 s under valgrind; a loaded machine can double that. */
const READY_TIMEOUT_MS = 180_000;

/**
 * Warm-up opens fresh connections every this many requests. After a long warm-up on the same few
 * connections, V8 has specialized node's socket handling on them, and the first new connection
 * costs ~150k extra instructions per request for some 3,000 requests while it re-optimizes.
 */
const WARMUP_ROUND = 1000;

function expectAll2xx(r: CountResult, phase: string): void {
  if (r.non2xx || r.errors) throw new Error(`${phase}: ${r.non2xx} non-2xx answers and ${r.errors} errors of ${r.sent} (first: ${r.firstProblem})`);
}

/** Warms up in rounds on fresh connections; the last round's client stays open for the measurement. */
async function warmUp(srv: RunningServer, w: Workload, s: CellSettings): Promise<CountClient> {
  let client = new CountClient(srv.url, s.connections);
  try {
    for (let left = s.warmupRequests; left > 0; left -= WARMUP_ROUND) {
      if (left < s.warmupRequests) {
        client.close();
        client = new CountClient(srv.url, s.connections);
      }
      expectAll2xx(await client.send(w, Math.min(left, WARMUP_ROUND)), "warm-up");
    }
    return client;
  } catch (err) {
    client.close();
    throw err;
  }
}

async function measureRunning(srv: RunningServer, dir: string, w: Workload, s: CellSettings) {
  const client = await warmUp(srv, w, s);
  try {
    await instrumentationOn(srv.pid);
    const counts = [Math.floor(s.requests / 2), s.requests - Math.floor(s.requests / 2)] as const;
    const irs: number[] = [];
    for (const [i, count] of counts.entries()) {
      expectAll2xx(await client.send(w, count), "measured requests");
      irs.push(await dumpIr(srv.pid, dir, i + 1));
    }
    return { total: irs[0]! + irs[1]!, halves: [irs[0]! / counts[0], irs[1]! / counts[1]] as [number, number] };
  } finally {
    client.close();
  }
}

/**
 * Measures instructions per request of one server on one workload; never throws (a failed cell
 * carries its error). `track` sees the server as soon as it runs, so an interrupted run can stop it.
 *
 * @example
 * ```ts
 * const cell = await measureCell(findServer("raw")!, WORKLOADS[0]!, { warmupRequests: 10_000, requests: 5000, connections: 4 }, () => {});
 * console.log(cell.perRequest); // about 61,000 on GET /json
 * ```
 */
export async function measureCell(def: ServerDef, w: Workload, s: CellSettings, track: (srv: RunningServer) => void): Promise<CellResult> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "velox-callgrind-"));
  // An interrupted run exits without reaching the finally below; the dumps must not stay behind.
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once("exit", removeDir);
  const cell: CellResult = { server: def.name, workload: w.name, warmupRequests: s.warmupRequests, perRequest: null, halves: null, seconds: 0, error: null };
  let srv: RunningServer | null = null;
  try {
    srv = await startServer(underCallgrind(def, dir), await freePort(), { core: null, readyTimeoutMs: READY_TIMEOUT_MS });
    track(srv);
    const { total, halves } = await measureRunning(srv, dir, w, s);
    cell.perRequest = total / s.requests;
    cell.halves = halves;
  } catch (err) {
    cell.error = (err as Error).message;
  } finally {
    await srv?.stop();
    process.off("exit", removeDir);
    removeDir();
    cell.seconds = (Date.now() - started) / 1000;
  }
  return cell;
}
