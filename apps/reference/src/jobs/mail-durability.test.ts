// The welcome mail is durable: enqueued by a server process that is then killed (SIGKILL) before
// it sent anything, and delivered by the next process — here `velox worker` on src/entry.ts (the
// in-process worker of `npm start` is the same worker; routes/password-reset.test.ts runs it).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { startSmtpSink } from "../testing/smtp-sink.ts";

const appDir = fileURLToPath(new URL("../..", import.meta.url));
const veloxBin = fileURLToPath(new URL("../../../../packages/velox/bin/velox.js", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "velox-ref-mail-"));
const children: ChildProcess[] = [];
const sink = await startSmtpSink();
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
  await sink.close();
});

function spawnApp(args: string[], env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(JWT_|DATABASE_URL|HOST$|PORT$|WORKERS$|NODE_ENV$|FIRST_SUPERUSER|SMTP_URL|JOBS_)/.test(key)));
  const child = spawn(process.execPath, args, { cwd: appDir, env: { ...clean, PORT: "0", JWT_SECRET: "mail-durability-test-secret-0123456789", ARGON2_MEMORY_KIB: "8192", ARGON2_TIME_COST: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const waitFor = async (pattern: RegExp): Promise<RegExpExecArray> => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && child.exitCode === null) {
      const match = pattern.exec(output);
      if (match) return match;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no ${pattern} in the output:\n${output}`);
  };
  return { child, exited, waitFor, output: () => output };
}

const startApp = (env: Record<string, string>) => spawnApp(["--conditions=velox-source", "--import", "tsx", "src/main.ts"], env);

describe("welcome mail survives a crash between enqueue and send", () => {
  it("is sent by the next process: velox worker on the same database", { timeout: 120_000 }, async () => {
    const env = { DATABASE_URL: `sqlite:${join(dataDir, "app.db")}`, SMTP_URL: sink.url };
    // 1. A server without a worker registers two users, so their mails are queued, not sent; then it is killed.
    const first = startApp({ ...env, JOBS_WORKER: "false" });
    const url = (await first.waitFor(/Velox reference app on (http:\/\/\S+) —/))[1]!;
    for (const name of ["dora", "eve"]) {
      const res = await fetch(`${url}/auth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: name, email: `${name}@example.com`, password: "correct horse battery" }) });
      expect(res.status).toBe(201);
    }
    first.child.kill("SIGKILL");
    await first.exited;
    expect(sink.messages).toHaveLength(0);

    // 2. `velox worker` alone (no HTTP) delivers them.
    const worker = spawnApp(["--conditions=velox-source", veloxBin, "worker", "src/entry.ts", "--poll", "100"], env);
    await sink.waitFor((m) => m.to.includes("dora@example.com"), 60_000);
    await sink.waitFor((m) => m.to.includes("eve@example.com"), 60_000);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(sink.messages.filter((m) => m.subject.startsWith("Welcome"))).toHaveLength(2);
  });
});
