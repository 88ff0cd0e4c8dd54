/** The contract servers the harness knows, how to start each, and whether this machine can. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { compiledServer } from "./compile-server.ts";
import { BENCH_DIR, REPO_DIR } from "./paths.ts";
import { runsOk } from "./which.ts";

export interface ServerDef {
  name: string;
  label: string;
  /** Node servers run in the Vitest contract test; the others need extra runtimes. */
  node: boolean;
  /**
   * How to start it with `workers` processes (1: a single process, the method's main table). Node
   * servers are compiled first (compile-server.ts) and scale through one node:cluster launcher.
   */
  command(port: number, workers?: number): Promise<{ cmd: string; args: string[] }>;
  /** Why it cannot run with several workers; absent when it can. */
  noWorkers?: string;
  /** Why this server cannot run here, or null when it can. */
  unavailable(): string | null;
}

const serverFile = (file: string) => join(BENCH_DIR, "servers", file);

function nodeServer(name: string, label: string, file: string, extra?: () => string | null): ServerDef {
  return {
    name,
    label,
    node: true,
    command: async (port, workers = 1) => {
      const server = await compiledServer(serverFile(file));
      const args = workers > 1 ? [await compiledServer(serverFile("cluster.ts")), server, "--workers", String(workers)] : [server];
      return { cmd: process.execPath, args: [...args, "--port", String(port)] };
    },
    unavailable: () => extra?.() ?? (existsSync(serverFile(file)) ? null : `bench/servers/${file} is missing`),
  };
}

export const VELOX_ENTRY = join(REPO_DIR, "packages", "velox", "src", "index.ts");

const PYTHON = "/usr/bin/python3";
const BUN_CANDIDATES = [join(REPO_DIR, "node_modules", ".bin", "bun"), join(REPO_DIR, "node_modules", "bun", "bin", "bun.exe")];
export const bunPath = () => BUN_CANDIDATES.find((p) => existsSync(p) && runsOk(p, ["--version"])) ?? null;

export const SERVERS: readonly ServerDef[] = [
  nodeServer("raw", "raw node:http (hand-written validation)", "raw.ts"),
  nodeServer("velox", "Velox", "velox.ts", () =>
    existsSync(VELOX_ENTRY) ? null : "packages/velox/src/index.ts does not exist yet"),
  nodeServer("velox-deps", "Velox, /users behind a 2-level dependency chain", "velox-deps.ts", () =>
    existsSync(VELOX_ENTRY) ? null : "packages/velox/src/index.ts does not exist yet"),
  nodeServer("velox-hooks", "Velox, one no-op hook of each kind", "velox-hooks.ts", () =>
    existsSync(VELOX_ENTRY) ? null : "packages/velox/src/index.ts does not exist yet"),
  nodeServer("velox-metrics", "Velox + velox/metrics", "velox-metrics.ts", () =>
    existsSync(VELOX_ENTRY) ? null : "packages/velox/src/index.ts does not exist yet"),
  nodeServer("velox-batteries", "Velox + access log, metrics and tracing (workload 5)", "velox-batteries.ts", () =>
    existsSync(VELOX_ENTRY) ? null : "packages/velox/src/index.ts does not exist yet"),
  nodeServer("fastify", "Fastify 5 + TypeBox", "fastify.ts"),
  nodeServer("hono", "Hono 4 on @hono/node-server + zod", "hono.ts"),
  nodeServer("express", "Express 5 + zod", "express.ts"),
  {
    name: "fastapi",
    label: "FastAPI / uvicorn (Debian, pydantic v1)",
    node: false,
    command: async (port, workers = 1) => ({ cmd: PYTHON, args: [serverFile("fastapi_app.py"), "--port", String(port), "--workers", String(workers)] }),
    unavailable: () =>
      runsOk(PYTHON, ["-c", "import fastapi, uvicorn"])
        ? null
        : "needs Debian's python3-fastapi and python3-uvicorn (bench/setup.sh installs them)",
  },
  {
    name: "velox-bun",
    label: "Velox on Bun (Bun.serve)",
    node: false,
    // Bun runs the TypeScript as deployed on Bun; velox-source picks the repository's sources over dist/.
    // With workers, Velox's serve() forks them on Bun and each binds the port with reusePort.
    command: async (port, workers = 1) => ({ cmd: bunPath() ?? "bun", args: ["--conditions=velox-source", serverFile("velox-bun.ts"), "--port", String(port), ...(workers > 1 ? ["--workers", String(workers)] : [])] }),
    unavailable: () => (bunPath() ? null : "the npm package bun did not install a working binary"),
  },
  {
    name: "elysia",
    label: "Elysia 1.4 on Bun (not Node)",
    node: false,
    command: async (port) => ({ cmd: bunPath() ?? "bun", args: [serverFile("elysia.ts"), "--port", String(port)] }),
    noWorkers: "Bun has no node:cluster-style port sharing that this harness drives",
    unavailable: () => (bunPath() ? null : "the npm package bun did not install a working binary"),
  },
];

export function findServer(name: string): ServerDef | undefined {
  return SERVERS.find((s) => s.name === name);
}
