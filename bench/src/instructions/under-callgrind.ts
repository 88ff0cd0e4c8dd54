/** A server command line run under valgrind's callgrind, counting nothing until told to. */
import { join } from "node:path";
import type { ServerDef } from "../registry.ts";
import { which } from "../which.ts";

/**
 * Instructions only (no cache or branch simulation, which would only slow it down), and not before
 * `callgrind_control -i on`, so that start-up and warm-up run several times faster.
 */
export const CALLGRIND_FLAGS: readonly string[] = ["--tool=callgrind", "--instr-atstart=no", "--cache-sim=no", "--branch-sim=no"];

/** Where callgrind writes dump number `n` of process `pid` (`cg.<pid>.<n>` inside `dir`). */
export const dumpFile = (dir: string, pid: number, n: number) => join(dir, `cg.${pid}.${n}`);

/**
 * Why callgrind cannot run here, or null when valgrind and callgrind_control are on PATH.
 *
 * @example
 * ```ts
 * const why = callgrindMissing();
 * if (why) console.log(`skipped: ${why}`);
 * ```
 */
export function callgrindMissing(): string | null {
  if (!which("valgrind")) return "valgrind is not installed (Debian: apt-get install valgrind)";
  if (!which("callgrind_control")) return "callgrind_control is not on PATH (it comes with valgrind)";
  return null;
}

/**
 * The server definition with its command wrapped in valgrind, dumps going to `dir`. valgrind execs
 * the tool in the same process, so the PID the harness sees is the one callgrind_control takes.
 *
 * @example
 * ```ts
 * const srv = await startServer(underCallgrind(findServer("raw")!, dir), port, { core: null, readyTimeoutMs: 180_000 });
 * ```
 */
export function underCallgrind(def: ServerDef, dir: string): ServerDef {
  return {
    ...def,
    command: async (port) => {
      const { cmd, args } = await def.command(port, 1);
      return { cmd: "valgrind", args: [...CALLGRIND_FLAGS, `--callgrind-out-file=${join(dir, "cg.%p")}`, cmd, ...args] };
    },
  };
}
