/** Starts a contract server as a child process (optionally pinned to a core) and stops it by PID. */
import { spawn, type ChildProcess } from "node:child_process";
import type { ServerDef } from "./registry.ts";
import { REPO_DIR } from "./paths.ts";
import { rssMiB } from "./rss.ts";
import { cpuSeconds } from "./cpu.ts";
import { placed, type Placement } from "./pin.ts";
import { sumOverTree } from "./process-tree.ts";

export interface RunningServer {
  def: ServerDef;
  port: number;
  pid: number;
  url: string;
  rss(): number | null;
  /** CPU seconds used so far (user + system). */
  cpuSeconds(): number | null;
  /** Last output of the server, for diagnosing a failed start or check. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions extends Placement {
  readyTimeoutMs?: number;
  /** Processes serving the port (default 1); RSS and CPU are then summed over them. */
  workers?: number;
}

export function serverEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: "production" };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited early (${child.exitCode ?? child.signalCode})`);
    try {
      const res = await fetch(`${url}/json`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`not ready after ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export async function startServer(def: ServerDef, port: number, opts: StartOptions): Promise<RunningServer> {
  const base = await def.command(port, opts.workers ?? 1);
  const { cmd, args } = placed(opts, base.cmd, base.args);
  const child = spawn(cmd, args, { cwd: REPO_DIR, env: serverEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
  const url = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    def, port, url,
    pid: child.pid ?? -1,
    rss: () => (child.pid ? sumOverTree(child.pid, rssMiB) : null),
    cpuSeconds: () => (child.pid ? sumOverTree(child.pid, cpuSeconds) : null),
    output: () => out,
    stop: () => stopChild(child),
  };
  try {
    await Promise.race([waitReady(url, child, opts.readyTimeoutMs ?? 20_000), spawnError]);
  } catch (err) {
    await server.stop();
    throw new Error(`${def.name} failed to start: ${(err as Error).message}\n${out}`, { cause: err });
  }
  return server;
}
