/** What the figures were measured on: cores, CPU, runtimes and the versions of every peer. */
import { readFileSync } from "node:fs";
import { availableParallelism, release } from "node:os";
import { join } from "node:path";
import { REPO_DIR } from "./paths.ts";
import { firstLine } from "./which.ts";

export interface Machine {
  nproc: number;
  cpu: string;
  kernel: string;
  versions: Record<string, string>;
}

function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? "unknown";
  } catch {
    return "unknown";
  }
}

function pkgVersion(name: string): string | null {
  try {
    const json = JSON.parse(readFileSync(join(REPO_DIR, "node_modules", name, "package.json"), "utf8")) as { version?: string };
    return json.version ?? null;
  } catch {
    return null;
  }
}

const PEERS = ["velox", "fastify", "@fastify/multipart", "@fastify/busboy", "@sinclair/typebox", "hono", "@hono/node-server", "@hono/zod-validator", "express", "zod", "elysia", "autocannon"];
const PY_VERSIONS = "import fastapi, uvicorn, pydantic, sys; print(f'python {sys.version.split()[0]}, fastapi {fastapi.__version__}, uvicorn {uvicorn.__version__}, pydantic {pydantic.VERSION}')";

export function describeMachine(bunPath: string | null): Machine {
  const versions: Record<string, string> = { node: process.version };
  for (const p of PEERS) {
    const v = pkgVersion(p);
    if (v) versions[p] = v;
  }
  const wrk = firstLine("wrk", ["--version"]);
  if (wrk?.startsWith("wrk")) versions.wrk = wrk.split(" ")[1] ?? wrk;
  const bun = bunPath ? firstLine(bunPath, ["--version"]) : null;
  if (bun) versions.bun = bun;
  const py = firstLine("/usr/bin/python3", ["-c", PY_VERSIONS]);
  if (py?.startsWith("python ")) versions.python = py.slice("python ".length);
  return { nproc: availableParallelism(), cpu: cpuModel(), kernel: release(), versions };
}
