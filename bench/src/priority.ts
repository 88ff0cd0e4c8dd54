import { writeFileSync } from "node:fs";

/**
 * Sets the niceness of this process's scheduler autogroup (its session), which the servers and
 * the load generator inherit. With autogroups on, CPU time is split between sessions first, so a
 * per-process `nice` alone does not win CPU from other sessions' work. Returns false when the
 * kernel has no autogroups or refuses.
 */
export function setAutogroupNice(nice: number): boolean {
  try {
    writeFileSync("/proc/self/autogroup", String(nice));
    return true;
  } catch {
    return false;
  }
}
