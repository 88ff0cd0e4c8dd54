/**
 * The chat across 2 workers: `src/main.ts` with WORKERS=2 and REDIS_URL, as deployed, on node
 * (node:cluster: the primary hands connections to the workers in turn, so the four sockets are
 * spread over both) and on Bun (two processes on one port with reusePort, Bun's WebSocket and
 * pub/sub in each); every message must reach all of them, and every worker must list everyone.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { deleteRedisPrefix, redisForTests } from "./testing/redis.ts";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const redis = await redisForTests();
const bunBinary = join(appDir, "..", "..", "node_modules", ".bin", "bun");
// On Bun the workers are processes sharing the port (reusePort): the kernel spreads the sockets.
const runtimes = existsSync(bunBinary) ? ["node", "bun"] : ["node"];

function collect(ws: WebSocket): { events: any[]; opened: Promise<void> } {
  const events: any[] = [];
  ws.on("message", (m) => events.push(JSON.parse(m.toString())));
  return { events, opened: new Promise((resolve, reject) => { ws.once("open", () => resolve()); ws.once("error", reject); }) };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(redis.skip).each(runtimes)("seed case 3 across 2 workers sharing Redis on %s", (runtime) => {
  const dir = mkdtempSync(join(tmpdir(), "velox-ref-chat-cluster-"));
  const prefix = `velox-test:chat:${randomBytes(6).toString("hex")}`;
  let child: ChildProcess;
  let url = "";
  let output = "";

  beforeAll(async () => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(JWT_|DATABASE_URL|HOST$|PORT$|WORKERS$|NODE_ENV$|FIRST_SUPERUSER|REDIS_URL)/.test(k)));
    const [command, args] = runtime === "bun" ? [bunBinary, ["--conditions=velox-source", "src/main.ts"]] : [process.execPath, ["--conditions=velox-source", "--import", "tsx", "src/main.ts"]];
    child = spawn(command, args, {
      cwd: appDir,
      env: { ...clean, PORT: "0", WORKERS: "2", REDIS_URL: redis.url, CHAT_REDIS_PREFIX: prefix, DATABASE_URL: `sqlite:${join(dir, "app.db")}`, ARGON2_MEMORY_KIB: "8192", ARGON2_TIME_COST: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    await until(() => /Velox reference app on (http:\/\/\S+)/.test(output) || child.exitCode !== null, "the cluster to start", 60_000);
    url = /Velox reference app on (http:\/\/\S+) —/.exec(output)?.[1] ?? "";
    if (!url) throw new Error(`the app did not start:\n${output}`);
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    await deleteRedisPrefix(redis.url, prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it("every message reaches every socket, and every worker lists everyone in the room", { timeout: 60_000 }, async () => {
    const tokens: string[] = [];
    for (const name of ["user1", "user2", "user3", "user4"]) {
      const reg = await fetch(`${url}/auth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: name, email: `${name}@example.com`, password: `${name}-password-123` }) });
      expect(reg.status).toBe(201);
      const res = await fetch(`${url}/auth/token`, { method: "POST", body: new URLSearchParams({ username: name, password: `${name}-password-123` }) });
      tokens.push(((await res.json()) as { access_token: string }).access_token);
    }
    const wsUrl = url.replace("http", "ws");
    const sockets = tokens.map((t) => new WebSocket(`${wsUrl}/ws/lobby`, ["bearer", t]));
    const clients = sockets.map(collect);
    await Promise.all(clients.map((c) => c.opened));
    await until(() => clients[0]!.events.some((e) => e.type === "user_joined" && e.users_count === 4), "presence of all four on the first socket");

    sockets.forEach((s, i) => s.send(JSON.stringify({ content: `hello from user${i + 1}` })));
    await until(() => clients.every((c) => c.events.filter((e) => e.type === "message").length === 4), "four messages on every socket");
    for (const c of clients) {
      expect(c.events.filter((e) => e.type === "message").map((e) => e.content).sort()).toEqual(["hello from user1", "hello from user2", "hello from user3", "hello from user4"]);
    }

    const auth = { headers: { authorization: `Bearer ${tokens[0]}` } };
    for (let i = 0; i < 4; i++) {
      const users = (await (await fetch(`${url}/rooms/lobby/users`, auth)).json()) as { users: string[] };
      expect(users.users).toEqual(["user1", "user2", "user3", "user4"]);
    }
    for (const s of sockets) s.close();
  });
});
