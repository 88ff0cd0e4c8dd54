/**
 * Real processes for the deploy tests: the compiled app (`node dist/main.js`, as the image runs
 * it) and Debian's nginx with deploy/nginx.conf, each started as a child and stopped by its PID.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { APP_DIR, NGINX, nginxArgs, renderNginxConf } from "./tools.ts";

/**
 * What `npm run build -w apps/reference` makes (esbuild, well under a second), into a folder of
 * this test run beside `dist/` — the same depth, so `../static` and node_modules resolve as from
 * `dist/`, and test files running at once never overwrite each other's build. Returns its name
 * (relative to apps/reference); `removeBuild` deletes it.
 */
export function buildApp(): string {
  const out = `.dist-test-${process.pid}-${randomBytes(4).toString("hex")}`;
  execFileSync(process.execPath, ["scripts/build.mjs", join(APP_DIR, out)], { cwd: APP_DIR, stdio: "pipe" });
  return out;
}

export function removeBuild(out: string): void {
  if (/^\.dist-test-/.test(out)) rmSync(join(APP_DIR, out), { recursive: true, force: true });
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A child process with its output kept, stopped by PID. */
export class Child {
  output = "";
  readonly exited: Promise<number | null>;
  constructor(readonly process: ChildProcess) {
    process.stdout?.on("data", (c: Buffer) => (this.output += c.toString()));
    process.stderr?.on("data", (c: Buffer) => (this.output += c.toString()));
    this.exited = new Promise((resolve) => process.once("exit", (code) => resolve(code)));
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** SIGTERM (or `signal`), then SIGKILL if it is still there after `graceMs`. */
  async stop(signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<number | null> {
    if (this.running) this.process.kill(signal);
    const timer = setTimeout(() => this.running && this.process.kill("SIGKILL"), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Starts `node <build>/main.js` on `port` and resolves once it says it is listening. */
export async function startCompiledApp(build: string, port: number, env: Record<string, string>): Promise<Child> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(JWT_|DATABASE_URL|REDIS_URL|HOST$|PORT$|WORKERS$|NODE_ENV$|FIRST_SUPERUSER|NODE_OPTIONS$)/.test(k)));
  const child = new Child(spawn(process.execPath, [`${build}/main.js`], { cwd: APP_DIR, env: { ...clean, ...env, HOST: "127.0.0.1", PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] }));
  await until(() => /Velox reference app on http/.test(child.output) || !child.running, `the app on port ${port}`, 30_000);
  if (!child.running) throw new Error(`the app on port ${port} exited:\n${child.output}`);
  return child;
}

/**
 * Runs deploy/nginx.conf (upstreams and port rendered for loopback) with Debian's nginx in the
 * foreground, in its own prefix directory. `extraServer` adds test-only directives to the server
 * block (the tests add a header naming the upstream that answered).
 */
export async function startNginx(dir: string, options: { listenPort: number; upstreamPorts: number[]; extraServer?: string }): Promise<Child> {
  let conf = renderNginxConf({ listenPort: options.listenPort, upstreamPorts: options.upstreamPorts, accessLog: join(dir, "access.log") });
  if (options.extraServer) conf = conf.replace(/(# listen:end\n)/, `$1        ${options.extraServer}\n`);
  const path = join(dir, "nginx.conf");
  writeFileSync(path, conf);
  const child = new Child(spawn(NGINX, nginxArgs(dir, path, " daemon off;"), { stdio: ["ignore", "pipe", "pipe"] }));
  await until(async () => !child.running || (await fetch(`http://127.0.0.1:${options.listenPort}/health`).then((r) => r.ok, () => false)), "nginx", 10_000);
  if (!child.running) throw new Error(`nginx exited:\n${child.output}`);
  return child;
}
