import { join } from "node:path";
import { BENCH_DIR } from "../paths.ts";
import { placed } from "../pin.ts";
import { runCommand } from "./run-command.ts";
import type { LoadOptions, LoadResult } from "./types.ts";
import { parseWrk } from "./wrk-parse.ts";

const POST_SCRIPT = join(BENCH_DIR, "wrk", "post.lua");

export async function runWrk(o: LoadOptions): Promise<LoadResult> {
  const args = ["-t1", `-c${o.connections}`, `-d${o.seconds}s`, "--latency"];
  if (o.method === "POST") args.push("-s", POST_SCRIPT);
  args.push(o.url);
  const { cmd, args: full } = placed(o.place, "wrk", args);
  const out = await runCommand(cmd, full, { ...process.env, WRK_BODY: o.body ?? "" });
  return parseWrk(out);
}
