/** Which servers a run uses: all that can run here, or exactly those named by --only. */
import { SERVERS, type ServerDef } from "./registry.ts";

export interface Selection {
  servers: ServerDef[];
  skipped: { name: string; reason: string }[];
}

/** `workers` > 1 also skips servers that cannot run several processes. */
export function selectServers(only: readonly string[] | null, workers = 1): Selection {
  if (only) {
    const unknown = only.filter((n) => !SERVERS.some((s) => s.name === n));
    if (unknown.length) throw new Error(`unknown server(s): ${unknown.join(", ")}; known: ${SERVERS.map((s) => s.name).join(", ")}`);
  }
  const wanted = SERVERS.filter((s) => only ? only.includes(s.name) : true);
  const servers: ServerDef[] = [];
  const skipped: Selection["skipped"] = [];
  for (const s of wanted) {
    const reason = s.unavailable() ?? (workers > 1 ? (s.noWorkers ?? null) : null);
    if (reason === null) servers.push(s);
    else if (only) throw new Error(`${s.name} cannot run: ${reason}`);
    else skipped.push({ name: s.name, reason });
  }
  return { servers, skipped };
}
