import { which } from "./which.ts";

export interface Placement {
  /** CPU core (taskset -c); null leaves the process unpinned. */
  core: number | null;
  /** Scheduling niceness (nice -n); 0 leaves it alone. */
  nice?: number;
}

/**
 * The command line prefixed with `nice -n N` and `taskset -c <core>` as asked for and possible.
 * Both exec the command, so the child's PID is the command's PID (needed for /proc readings).
 */
export function placed(p: Placement, cmd: string, args: string[]): { cmd: string; args: string[] } {
  let line = [cmd, ...args];
  if (p.core !== null && which("taskset")) line = ["taskset", "-c", String(p.core), ...line];
  if (p.nice && which("nice")) line = ["nice", "-n", String(p.nice), ...line];
  return { cmd: line[0]!, args: line.slice(1) };
}
