import { readFileSync } from "node:fs";

/**
 * A process and all its descendants, from /proc/<pid>/task/<tid>/children (Linux). A multi-worker
 * server is its primary plus the workers it forked; CPU and memory are theirs together.
 *
 * @example
 * ```ts
 * processTree(primaryPid); // [primaryPid, worker1, worker2]
 * ```
 */
export function processTree(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number) => {
    out.push(p);
    let tasks: string[];
    try {
      tasks = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    } catch {
      return;
    }
    for (const child of tasks) visit(Number(child));
  };
  visit(pid);
  return out;
}

/** Sums a per-process reading over a process tree; null when the root cannot be read. */
export function sumOverTree(pid: number, read: (pid: number) => number | null): number | null {
  const root = read(pid);
  if (root === null) return null;
  return processTree(pid).slice(1).reduce((sum, p) => sum + (read(p) ?? 0), root);
}
