/** Switches counting on and dumps the counts of a process running under callgrind. */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { promisify } from "node:util";
import { dumpComplete, irFromDump } from "./callgrind-dump.ts";
import { dumpFile } from "./under-callgrind.ts";

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// callgrind_control exits 0 even when it cannot reach the process; only "OK." means it worked.
async function control(pid: number, args: string[]): Promise<void> {
  const { stdout, stderr } = await run("callgrind_control", [...args, String(pid)], { timeout: 60_000 });
  if (!/^\s*OK\.\s*$/m.test(stdout)) throw new Error(`callgrind_control ${args.join(" ")} ${pid} failed: ${(stdout + stderr).trim()}`);
}

/**
 * Starts counting instructions in a process started with `--instr-atstart=no`.
 *
 * @example
 * ```ts
 * await instrumentationOn(srv.pid);
 * ```
 */
export function instrumentationOn(pid: number): Promise<void> {
  return control(pid, ["-i", "on"]);
}

/**
 * Dumps the counts since the previous dump (callgrind then starts again from zero) and returns
 * that dump's total Ir. `n` is the dump's number: 1 for the first dump of the process, and so on.
 *
 * @example
 * ```ts
 * const first = await dumpIr(srv.pid, dir, 1);
 * const second = await dumpIr(srv.pid, dir, 2);
 * ```
 */
export async function dumpIr(pid: number, dir: string, n: number): Promise<number> {
  await control(pid, ["-d"]);
  const file = dumpFile(dir, pid, n);
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (existsSync(file)) {
      const text = readFileSync(file, "utf8");
      if (dumpComplete(text)) return irFromDump(text);
    }
    await sleep(50);
  }
  throw new Error(`callgrind wrote no complete dump ${file}`);
}
