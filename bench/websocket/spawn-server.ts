// Starts bench/websocket/server.ts in its own process (optionally pinned with taskset) and waits
// for its "listening <port>" line.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Impl } from "./clients.ts";

const SERVER = fileURLToPath(new URL("./server.ts", import.meta.url));

export interface RunningServer {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

export async function startServer(impl: Impl, options: { cpu?: string; redis?: string; prefix?: string; port?: number; env?: Record<string, string>; nodeFlags?: string[] } = {}): Promise<RunningServer> {
  const args = ["--expose-gc", ...(options.nodeFlags ?? []), "--import", "tsx", SERVER, "--impl", impl, "--port", String(options.port ?? 0)];
  if (options.redis) args.push("--redis", options.redis, "--prefix", options.prefix ?? "velox-bench:ws");
  const pinned = options.cpu !== undefined && existsSync("/usr/bin/taskset");
  const child = pinned ? spawn("taskset", ["-c", options.cpu!, process.execPath, ...args], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...options.env } })
    : spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...options.env } });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`${impl} server exited with ${code}`)));
  });
  return {
    child,
    port,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    }),
  };
}

/** Resident set size of a process in bytes (Linux /proc). */
export async function rssOf(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

/** CPU time (user + system) a process has used so far, in milliseconds (Linux /proc, 10 ms ticks). */
export async function cpuOf(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
