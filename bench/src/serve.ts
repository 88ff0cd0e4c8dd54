/** `--serve <name> --port <port>`: one contract server in the foreground, pinned like in a run. */
import { spawn } from "node:child_process";
import { REPO_DIR } from "./paths.ts";
import { pinned } from "./pin.ts";
import { findServer, SERVERS } from "./registry.ts";
import { serverEnv } from "./server-process.ts";

export function serve(name: string, port: number, core: number | null): Promise<number> {
  const def = findServer(name);
  if (!def) throw new Error(`unknown server ${name}; known: ${SERVERS.map((s) => s.name).join(", ")}`);
  const why = def.unavailable();
  if (why) throw new Error(`${name} cannot run: ${why}`);
  const base = def.command(port);
  const { cmd, args } = pinned(core, base.cmd, base.args);
  const child = spawn(cmd, args, { cwd: REPO_DIR, env: serverEnv(), stdio: "inherit" });
  console.log(`${def.label}: http://127.0.0.1:${port} (pid ${child.pid}${core === null ? "" : `, core ${core}`}); Ctrl-C stops it`);
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 0 : 1))));
}
