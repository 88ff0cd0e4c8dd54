import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import SqliteDatabase from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const bunBinary = join(appDir, "..", "..", "node_modules", ".bin", "bun");
const hasBun = existsSync(bunBinary);
if (!hasBun && process.env.VELOX_REQUIRE_SERVICES === "1") throw new Error(`${bunBinary} is missing (npm package "bun")`);
if (!hasBun) console.warn("SKIPPED the reference app on Bun: node_modules/.bin/bun is missing");
/** node as `npm start` runs it, and Bun's native server as `npm run start:bun` does. */
const runtimes = hasBun ? (["node", "bun"] as const) : (["node"] as const);
type Runtime = (typeof runtimes)[number];
const dataDir = mkdtempSync(join(tmpdir(), "velox-ref-main-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `src/main.ts` as `npm start` does (`tsx --conditions=velox-source src/main.ts` in apps/reference), with no configuration but a port and a fresh data folder. */
function start(name: string, env: Record<string, string> = {}, runtime: Runtime = "node") {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(JWT_|DATABASE_URL|HOST$|PORT$|WORKERS$|NODE_ENV$|FIRST_SUPERUSER)/.test(key)));
  const [command, args] = runtime === "bun"
    ? [bunBinary, ["--conditions=velox-source", "src/main.ts"]]
    : [process.execPath, ["--conditions=velox-source", "--import", "tsx", "src/main.ts"]];
  const child = spawn(command, args, {
    cwd: appDir,
    env: { ...clean, PORT: "0", DATABASE_URL: `sqlite:${join(dataDir, name, "nested", "app.db")}`, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = (async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && child.exitCode === null) {
      const match = /Velox reference app on (http:\/\/\S+) — docs at (\S+)\/docs/.exec(output);
      if (match) return match[1]!;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the app did not start:\n${output}`);
  })();
  return { child, url, exited, output: () => output };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

describe("npm start (src/main.ts over a real socket)", () => {
  it("is what the start script runs", () => {
    const pkg = JSON.parse(readFileSync(join(appDir, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe("tsx --conditions=velox-source src/main.ts");
  });

  it.each(runtimes)("starts with no configuration on %s, serves the API and docs, and stops cleanly on SIGTERM", { timeout: 120_000 }, async (runtime) => {
    const app = start(`single-${runtime}`, {}, runtime);
    const url = await app.url;
    expect(app.output()).toContain("JWT_SECRET is not set");
    expect((await fetch(`${url}/docs`)).status).toBe(200);
    expect(await (await fetch(`${url}/ready`)).json()).toMatchObject({ status: "ready", checks: { database: { status: "ok" } } });

    const registered = await post(`${url}/auth/register`, { username: "alice", email: "alice@example.com", password: "correct horse battery" });
    expect(registered.status).toBe(201);
    const login = await fetch(`${url}/auth/token`, { method: "POST", body: new URLSearchParams({ username: "alice", password: "correct horse battery" }) });
    expect(login.status).toBe(200);
    const { access_token } = (await login.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${access_token}` };
    const item = (await (await post(`${url}/items`, { title: "Lamp", price: 12.5 }, auth)).json()) as { id: number };
    expect(await (await fetch(`${url}/items/${item.id}`, { headers: auth })).json()).toMatchObject({ title: "Lamp" });
    expect(await (await fetch(`${url}/items?size=1`, { headers: auth })).json()).toMatchObject({ total: 1, size: 1, pages: 1 });
    // The real HTTP parser's path: a JSON route refuses a text/plain body (CSRF guard) and oversize bodies.
    const plain = await fetch(`${url}/items`, { method: "POST", headers: { ...auth, "content-type": "text/plain" }, body: '{"title":"x","price":1}' });
    expect(plain.status).toBe(415);
    const huge = await post(`${url}/auth/register`, { username: "big", email: "big@example.com", password: "x".repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);

    // The chat (seed case 3): a message from one client reaches the other, over ws on node and Bun's own WebSocket on Bun.
    await post(`${url}/auth/register`, { username: "carol", email: "carol@example.com", password: "correct horse battery" });
    const carol = (await (await fetch(`${url}/auth/token`, { method: "POST", body: new URLSearchParams({ username: "carol", password: "correct horse battery" }) })).json()) as { access_token: string };
    const wsUrl = `${url.replace("http", "ws")}/ws/lobby`;
    const [alice, other] = [new WebSocket(wsUrl, ["bearer", access_token]), new WebSocket(wsUrl, ["bearer", carol.access_token])];
    const heard: any[] = [];
    other.on("message", (m) => heard.push(JSON.parse(m.toString())));
    await Promise.all([alice, other].map((s) => new Promise((resolve, reject) => s.once("open", resolve).once("error", reject))));
    await until(() => heard.some((e) => e.type === "user_joined" && e.users_count === 2), "both in the room");
    alice.send(JSON.stringify({ content: `hello on ${runtime}` }));
    await until(() => heard.some((e) => e.type === "message"), "the message");
    expect(heard.find((e) => e.type === "message")).toMatchObject({ content: `hello on ${runtime}`, user: { username: "alice" } });
    alice.close();
    other.close();

    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
    expect(app.output()).toContain("shutdown complete");
    // The view counted in memory was written during the graceful shutdown.
    const database = new SqliteDatabase(join(dataDir, `single-${runtime}`, "nested", "app.db"), { readonly: true });
    try {
      expect(database.prepare("select views from items where id = ?").get(item.id)).toEqual({ views: 1 });
    } finally {
      database.close();
    }
  });

  it.each(runtimes)("shares one generated JWT secret across workers on %s", { timeout: 120_000 }, async (runtime) => {
    const app = start(`workers-${runtime}`, { WORKERS: "2" }, runtime);
    const url = await app.url;
    expect(await (await post(`${url}/auth/register`, { username: "bob", email: "bob@example.com", password: "correct horse battery" })).json()).toMatchObject({ username: "bob" });
    const login = await fetch(`${url}/auth/token`, { method: "POST", body: new URLSearchParams({ username: "bob", password: "correct horse battery" }) });
    const { access_token } = (await login.json()) as { access_token: string };
    // New connections each time, spread over both workers by the primary.
    const statuses = await Promise.all(
      Array.from({ length: 12 }, () => fetch(`${url}/users/me`, { headers: { authorization: `Bearer ${access_token}`, connection: "close" } }).then((res) => res.status)),
    );
    expect(statuses).toEqual(Array(12).fill(200));
    // /metrics on any worker is the primary's sum over both workers.
    const exposition = await (await fetch(`${url}/metrics`, { headers: { connection: "close" } })).text();
    expect(exposition).toMatch(/^http_server_request_duration_seconds_count\{http_request_method="GET",http_route="\/users\/me",http_response_status_code="200"\} 12$/m);
    expect(exposition).toMatch(/^velox_cluster_workers 2$/m);
    expect(app.output().match(/JWT_SECRET is not set/g)).toHaveLength(1);
    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
  });
});
