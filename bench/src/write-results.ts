/** Writes a run's markdown, SVG and raw JSON into bench/results/<timestamp>/ (gitignored). */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RESULTS_DIR } from "./paths.ts";

export function writeResults(stamp: string, files: Record<string, string>): string {
  const dir = join(RESULTS_DIR, stamp.replace(/[:.]/g, "-"));
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
