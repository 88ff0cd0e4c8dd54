import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** Absolute path of an executable on PATH, or null. */
export function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, cmd);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** True when the command runs and exits 0 (used to probe interpreters and their packages). */
export function runsOk(cmd: string, args: readonly string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: "ignore", timeout: 15_000 });
  return r.status === 0;
}

/** First line of a command's stdout+stderr, or null when it cannot run. */
export function firstLine(cmd: string, args: readonly string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 15_000 });
  if (r.error) return null;
  return `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n")[0] ?? null;
}
