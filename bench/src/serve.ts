/** `--serve <name> --port <port>`: one contract server in the foreground, pinned like in a run. */
import { spawn } from "node:child_process";
import { REPO_DIR } from "./paths.ts";
import { placed, type Placement } from "./pin.ts";
import { findServer, SERVERS } from "./registry.ts";
import { serverEnv } from "./server-process.ts";

export async function serve(name: string, port: number, place: Placement): Promise<number> {
  const def = findServer(name);
  if (!def) throw new Error(`unknown server ${name}; known: ${SERVERS.map((s) => s.name).join(", ")}`);
  const why = def.unavailable();
  if (why) throw new Error(`${name} cannot run: ${why}`);
  const base = await def.command(port);
  const { cmd, args } = placed(place, base.cmd, base.args);
  const child = spawn(cmd, args, { cwd: REPO_DIR, env: serverEnv(), stdio: "inherit" });
  console.log(`${def.label}: http://127.0.0.1:${port} (pid ${child.pid}${place.core === null ? "" : `, core ${place.core}`}); Ctrl-C stops it`);
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 0 : 1))));
}
