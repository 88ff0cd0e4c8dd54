import { readFileSync } from "node:fs";

/** Resident set size of a process in MiB, from /proc/<pid>/status (null off Linux or once it exited). */
export function rssMiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}
