import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { paletteFor, prettyLogLine } from "./pretty.ts";

/** What `velox dev` runs. */
export interface DevPlan {
  /** The `velox` bin to run in watch mode. */
  bin: string;
  module: string;
  host: string;
  port: number;
}

/**
 * `velox dev`: runs the app in one process under `node --watch`, which restarts it when any
 * module it imported changes (TypeScript included, through tsx), and prints the server's JSON
 * log lines — request errors with their stacks — in a readable form. Resolves with the exit code.
 *
 * @example
 * ```ts
 * const code = await runDev({ bin: "/path/to/velox.js", module: "src/main.ts", host: "127.0.0.1", port: 8000 });
 * ```
 */
export function runDev(plan: DevPlan): Promise<number> {
  const args = [
    "--watch",
    "--watch-preserve-output",
    ...process.execArgv.filter((a) => !a.startsWith("--watch")),
    plan.bin,
    "run",
    plan.module,
    "--dev",
    "--workers",
    "0",
    "--host",
    plan.host,
    "--port",
    String(plan.port),
  ];
  const child = spawn(process.execPath, args, { stdio: ["inherit", "inherit", "pipe"] });
  const palette = paletteFor(process.stderr);
  createInterface({ input: child.stderr!, crlfDelay: Infinity }).on("line", (line) => {
    process.stderr.write(`${prettyLogLine(line, palette)}\n`);
  });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal === "SIGINT" ? 130 : 143));
    });
  });
}
