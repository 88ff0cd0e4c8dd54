import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../../bin/velox.js", import.meta.url));
export const FIXTURE = fileURLToPath(new URL("../fixtures/app.ts", import.meta.url));

/** One JSON log line of the server (or `null` fields for plain output). */
export interface LogLine {
  level?: string;
  msg?: string;
  pid?: number;
  url?: string;
  [key: string]: unknown;
}

export interface Stats {
  pid: number;
  started: number;
  finished: number;
}

const running = new Set<ChildProcess>();

/** Kills every server process a test left behind (call in afterAll/afterEach). */
export function killAll(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }
  }
  running.clear();
}

/**
 * A `velox` process under test: its logs, the fixture's per-worker statistics, and helpers to
 * wait for a log line or the exit. It runs in its own process group so cleanup reaches workers.
 */
export class VeloxProcess {
  readonly child: ChildProcess;
  readonly logs: LogLine[] = [];
  readonly stats: Stats[] = [];
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  private waiters: { test: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];

  constructor(args: readonly string[], env: Record<string, string> = {}, cwd?: string) {
    this.child = spawn(process.execPath, ["--conditions=velox-source", BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    running.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        running.delete(this.child);
        resolve({ code, signal, at: Date.now() });
      });
    });
    this.read(this.child.stdout!);
    this.read(this.child.stderr!);
  }

  private read(stream: NodeJS.ReadableStream): void {
    let buffer = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) !== -1) {
        this.line(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    });
  }

  private line(text: string): void {
    this.output.push(text);
    if (text.startsWith("FIXTURE_STATS ")) {
      this.stats.push(JSON.parse(text.slice(14)) as Stats);
      return;
    }
    if (!text.startsWith("{")) return;
    let entry: LogLine;
    try {
      entry = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    this.logs.push(entry);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(entry)) return true;
      w.resolve(entry);
      return false;
    });
  }

  /** Resolves with the first log line (past or future) matching `test`. */
  waitFor(test: (l: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
    const seen = this.logs.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for a log line; output so far:\n${this.output.join("\n")}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  /** Waits for the "listening" line and returns the server's URL. */
  async url(timeoutMs = 30_000): Promise<string> {
    const line = await this.waitFor((l) => typeof l.url === "string" && l.msg?.startsWith("velox listening") === true, timeoutMs);
    return line.url as string;
  }

  count(msg: string): number {
    return this.logs.filter((l) => l.msg === msg).length;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}
