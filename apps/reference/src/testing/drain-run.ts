import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";

const APP_DIR = fileURLToPath(new URL("../..", import.meta.url));
const VELOX_BIN = fileURLToPath(new URL("../../../../packages/velox/bin/velox.js", import.meta.url));
/** Velox's TypeScript sources rather than its build (the workspace's export condition). */
const SOURCE = "--conditions=velox-source";

/** Who gets the SIGTERM: the primary only, or the whole process group (Ctrl-C, systemd). */
export type DrainTarget = "primary" | "group";

/** The figures of one drain run. */
export interface DrainFigures {
  target: DrainTarget;
  /** 2xx answers received, in all. */
  answered: number;
  /** Requests sent that got no answer (reset, broken pipe, timeout) or a 5xx: must be 0. */
  failed: number;
  /** Failures by error code or status. */
  failures: Record<string, number>;
  /** Connects refused once the listener closed: no request was sent on them. */
  refused: number;
  /** The primary's exit code, and each worker's as the primary logged it. */
  exitCode: number | null;
  workerExitCodes: (number | null)[];
  /** Milliseconds from the signal to the primary's exit. */
  drainMs: number;
}

/** Options of {@link drainRun}. */
export interface DrainRunOptions {
  target: DrainTarget;
  databaseUrl: string;
  connections?: number;
  /** Load before the signal. */
  loadMs?: number;
  workers?: number;
}

function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: APP_DIR, env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited ${code}: ${err}`))));
  });
}

function call(url: string, init: RequestInit): Promise<Response> {
  return fetch(url, { ...init, headers: { connection: "close", ...(init.headers ?? {}) } });
}

/**
 * One drain run of the reference app under `velox run src/velox-app.ts --workers N`: migrates,
 * starts the cluster in its own process group, registers a user and an item, loads
 * `GET /items/{id}` (an authenticated database read) over keep-alive connections, sends SIGTERM
 * to the primary or to the whole group, and counts what the clients got. Only for 127.0.0.1.
 *
 * @example
 * ```ts
 * const figures = await drainRun({ target: "group", databaseUrl: "sqlite:/tmp/x.db" });
 * figures.failed; // 0
 * ```
 */
export async function drainRun(options: DrainRunOptions): Promise<DrainFigures> {
  const env = { ...process.env, DATABASE_URL: options.databaseUrl, JWT_SECRET: randomBytes(32).toString("hex"), NODE_ENV: "production", ARGON2_MEMORY_KIB: "8192", ARGON2_TIME_COST: "1" };
  await runToEnd(process.execPath, [SOURCE, "--import", "tsx", "src/db/migrate-cli.ts"], env);
  const server: ChildProcess = spawn(process.execPath, [SOURCE, VELOX_BIN, "run", "src/velox-app.ts", "--workers", String(options.workers ?? 2), "--port", "0", "--shutdown-timeout", "10000"], {
    cwd: APP_DIR,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const logs: { level?: number; msg?: string; url?: string; code?: number | null }[] = [];
  const plain: string[] = [];
  let output = "";
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    let nl: number;
    while ((nl = output.indexOf("\n")) !== -1) {
      const line = output.slice(0, nl);
      output = output.slice(nl + 1);
      try {
        logs.push(JSON.parse(line) as (typeof logs)[number]);
      } catch {
        // not a log line (a crash's stack trace, say): kept for the report of a failed start
        if (line.trim() !== "") plain.push(line.slice(0, 500));
        if (plain.length > 20) plain.shift();
      }
    }
  };
  server.stdout!.on("data", onData);
  server.stderr!.on("data", onData);
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => server.once("exit", (code) => resolve({ code, at: Date.now() })));
  try {
    const deadline = Date.now() + 90_000;
    let url: string | undefined;
    while (url === undefined) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the cluster did not start: ${JSON.stringify([...logs.filter((l) => (l.level ?? 0) >= 50), ...logs.slice(-5)])}${plain.length > 0 ? `\n${plain.join("\n")}` : ""}`);
      url = logs.find((l) => l.msg?.startsWith("velox listening") && typeof l.url === "string")?.url;
      if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!url.startsWith("http://127.0.0.1:")) throw new Error(`drain runs only target 127.0.0.1, got ${url}`);
    const password = "drain-password-123";
    await call(`${url}/auth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "drain", email: "drain@example.com", password }) });
    const token = ((await (await call(`${url}/auth/token`, { method: "POST", body: new URLSearchParams({ username: "drain", password }) })).json()) as { access_token: string }).access_token;
    const auth = { authorization: `Bearer ${token}` };
    const item = (await (await call(`${url}/items`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ title: "drained", price: 1 }) })).json()) as { id: number };

    const figures = { answered: 0, failed: 0, failures: {} as Record<string, number>, refused: 0 };
    const agent = new Agent({ keepAlive: true, maxSockets: options.connections ?? 16 });
    let running = true;
    const target = new URL(`/items/${item.id}`, url);
    const once = () =>
      new Promise<void>((resolve) => {
        const req = request({ host: target.hostname, port: target.port, path: target.pathname, agent, headers: auth }, (res) => {
          res.resume();
          res.once("end", () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) figures.answered++;
            else {
              figures.failed++;
              figures.failures[String(status)] = (figures.failures[String(status)] ?? 0) + 1;
            }
            resolve();
          });
          res.once("error", () => resolve());
        });
        req.setTimeout(20_000, () => req.destroy(Object.assign(new Error("timeout"), { code: "CLIENT_TIMEOUT" })));
        req.once("error", (err: NodeJS.ErrnoException) => {
          if (err.code === "ECONNREFUSED") figures.refused++;
          else {
            figures.failed++;
            figures.failures[err.code ?? err.message] = (figures.failures[err.code ?? err.message] ?? 0) + 1;
          }
          // A refused connect returns at once; do not spin.
          setTimeout(resolve, 10);
        });
        req.end();
      });
    const loops = Array.from({ length: options.connections ?? 16 }, async () => {
      while (running) await once();
    });
    await new Promise((resolve) => setTimeout(resolve, options.loadMs ?? 1_500));
    const signalled = Date.now();
    if (options.target === "group") process.kill(-server.pid!, "SIGTERM");
    else server.kill("SIGTERM");
    const exit = await exited;
    running = false;
    await Promise.all(loops);
    agent.destroy();
    return {
      target: options.target,
      ...figures,
      exitCode: exit.code,
      workerExitCodes: logs.filter((l) => l.msg === "worker stopped").map((l) => l.code ?? null),
      drainMs: exit.at - signalled,
    };
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      try {
        process.kill(-server.pid!, "SIGKILL");
      } catch {
        server.kill("SIGKILL");
      }
    }
  }
}
