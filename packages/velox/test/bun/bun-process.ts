import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, "..", "..", "..", "..");
const BUN = [join(REPO, "node_modules", ".bin", "bun"), join(REPO, "node_modules", "bun", "bin", "bun.exe")].find((p) => existsSync(p)) ?? null;

/** The bun binary from the npm package, or null (then Bun tests skip, unless CI requires them). */
export function bunBinary(): string | null {
  if (BUN === null && process.env.VELOX_REQUIRE_SERVICES === "1") throw new Error("bun is missing: npm install puts it in node_modules/.bin (package \"bun\")");
  return BUN;
}

/** A test app served by a process of its own, on Bun or node (see host.ts). */
export interface HostedProcess {
  url: string;
  port: number;
  pid: number;
  runtime: string;
  process: ChildProcess;
  /** Lines the process wrote to stderr (errors it logged). */
  stderr: string[];
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `bun host.ts <module> <export>` and waits until it listens.
 *
 * @example
 * ```ts
 * const hosted = await hostOnBun(join(HERE, "apps.ts"), "validationApp");
 * await fetch(`${hosted.url}/items/abc`);
 * await hosted.stop();
 * ```
 */
export function hostOnBun(modulePath: string, exportName: string, options: Record<string, unknown> = {}): Promise<HostedProcess> {
  return hostInProcess("bun", modulePath, exportName, options);
}

/**
 * host.ts in a process of its own on either runtime: node runs it as `npm start` runs an app
 * (`--import tsx`). A server in its own process races its client as in production; in the test's
 * own process the two share one event loop, and some timing faults never show.
 *
 * @example
 * ```ts
 * const hosted = await hostInProcess("node", join(HERE, "apps.ts"), "validationApp");
 * ```
 */
export function hostInProcess(runtime: "node" | "bun", modulePath: string, exportName: string, options: Record<string, unknown> = {}): Promise<HostedProcess> {
  const args = [join(HERE, "host.ts"), modulePath, exportName, JSON.stringify(options)];
  let command: string;
  if (runtime === "bun") {
    const bun = bunBinary();
    if (bun === null) throw new Error("bun is not installed");
    command = bun;
  } else {
    command = process.execPath;
    args.unshift("--conditions=velox-source", "--import", "tsx");
  }
  const child = spawn(command, args, { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  const stderr: string[] = [];
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${runtime} host did not start: ${stderr.join("")}`)), 20_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${runtime} host exited with ${code}: ${stderr.join("")}`));
    });
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const line = out.split("\n")[0];
      if (!out.includes("\n") || line === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      const info = JSON.parse(line) as { url: string; pid: number; runtime: string };
      const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
      resolve({
        ...info,
        port: Number(new URL(info.url).port),
        process: child,
        stderr,
        stop: async () => {
          if (child.exitCode === null) child.kill("SIGTERM");
          return exited;
        },
      });
    });
  });
}
