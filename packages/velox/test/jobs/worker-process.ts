import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/velox.js", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./fixtures/crash-jobs.ts", import.meta.url));
const running = new Set<ChildProcess>();

/** Kills every worker a test left running. */
export function killWorkers(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  running.clear();
}

type LogLine = { msg?: string; level?: string; [k: string]: unknown };

/** `velox worker` on the crash fixture (or `module`), with its JSON logs collected. */
export class WorkerProcess {
  readonly child: ChildProcess;
  readonly logs: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: { test: (l: LogLine) => boolean; resolve: () => void }[] = [];

  constructor(args: readonly string[], env: Record<string, string>, module = FIXTURE) {
    this.child = spawn(process.execPath, ["--conditions=velox-source", BIN, "worker", module, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    running.add(this.child);
    this.exited = new Promise((resolve) => this.child.once("exit", (code, signal) => resolve({ code, signal })));
    let buffer = "";
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf("\n")) !== -1) {
        const text = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let line: LogLine;
        try {
          line = JSON.parse(text) as LogLine;
        } catch {
          line = { msg: text };
        }
        this.logs.push(line);
        this.waiters = this.waiters.filter((w) => (w.test(line) ? (w.resolve(), false) : true));
      }
    };
    this.child.stdout!.on("data", onData);
    this.child.stderr!.on("data", onData);
  }

  /** Resolves at the first log line matching `test` (or one already seen). */
  waitForLog(test: (l: LogLine) => boolean, timeoutMs = 15_000): Promise<void> {
    if (this.logs.some(test)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching log line; got ${JSON.stringify(this.logs.slice(-5))}`)), timeoutMs);
      this.waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}

/**
 * Waits until both workers run, then stops `second` (SIGSTOP) so `first` claims the next job
 * alone; the test resumes `second` (SIGCONT) when it should take over. Both start at once, so
 * the second start-up costs no extra time.
 */
export async function standby(first: WorkerProcess, second: WorkerProcess): Promise<[WorkerProcess, WorkerProcess]> {
  const running = (l: { msg?: string }) => l.msg === "velox worker running";
  await Promise.all([first.waitForLog(running, 30_000), second.waitForLog(running, 30_000)]);
  second.child.kill("SIGSTOP");
  return [first, second];
}
