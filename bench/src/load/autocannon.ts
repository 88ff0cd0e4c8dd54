import { join } from "node:path";
import { BENCH_DIR } from "../paths.ts";
import { placed } from "../pin.ts";
import { runCommand } from "./run-command.ts";
import type { LoadOptions, LoadResult } from "./types.ts";

const WORKER = join(BENCH_DIR, "src", "load", "autocannon-worker.mjs");

/** Fallback when wrk is missing. autocannon is JavaScript, so it saturates sooner than wrk. */
export async function runAutocannon(o: LoadOptions): Promise<LoadResult> {
  const { cmd, args } = placed(o.place, process.execPath, [WORKER, JSON.stringify(o)]);
  return JSON.parse(await runCommand(cmd, args)) as LoadResult;
}
