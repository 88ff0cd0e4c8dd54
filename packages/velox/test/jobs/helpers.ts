import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../../src/index.ts";
import type { JobEvent } from "../../src/jobs/index.ts";

/** A temp directory removed by the returned cleanup. */
export function tempDir(prefix = "velox-jobs-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A logger that keeps every line for assertions. */
export function memoryLogger(): Logger & { lines: { level: string; msg?: string; obj: object }[] } {
  const lines: { level: string; msg?: string; obj: object }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, msg, obj });
  return { lines, error: at("error"), warn: at("warn"), info: at("info") };
}

/** Resolves when `predicate` holds, polling every 20 ms, or rejects after `timeoutMs`. */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Collects job events. */
export function recorder(): { events: JobEvent[]; listener: (e: JobEvent) => void; of: (type: JobEvent["type"]) => JobEvent[] } {
  const events: JobEvent[] = [];
  return { events, listener: (e) => void events.push(e), of: (type) => events.filter((e) => e.type === type) };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
