import { which } from "../which.ts";
import { runAutocannon } from "./autocannon.ts";
import type { LoadTool } from "./types.ts";
import { runWrk } from "./wrk.ts";

export type ToolName = "wrk" | "autocannon";

/** wrk when installed (the method's tool), else autocannon. */
export function pickTool(wanted?: ToolName): { name: ToolName; run: LoadTool } {
  const name = wanted ?? (which("wrk") ? "wrk" : "autocannon");
  if (name === "wrk" && !which("wrk")) throw new Error("wrk is not installed (apt-get install wrk, or bench/setup.sh)");
  return { name, run: name === "wrk" ? runWrk : runAutocannon };
}
