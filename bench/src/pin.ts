import { which } from "./which.ts";

/** The command line prefixed with `taskset -c <core>` when pinning is asked for and possible. */
export function pinned(core: number | null, cmd: string, args: string[]): { cmd: string; args: string[] } {
  if (core === null || !which("taskset")) return { cmd, args };
  // taskset execs the command, so the child's PID is the command's PID (needed for VmRSS).
  return { cmd: "taskset", args: ["-c", String(core), cmd, ...args] };
}
