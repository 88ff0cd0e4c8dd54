/**
 * deploy/nginx.conf run by Debian's nginx in front of two instances of the compiled app
 * (`node dist/main.js`), sharing a SQLite file, an avatar folder and Redis (chat hub, item events)
 * as two containers behind the compose file's nginx would: reads, uploads, SSE and chat through
 * the proxy, then a rolling restart of one instance under load.
 */
import { spawnSync } from "node:child_process";
import { request } from "node:http";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AVATAR_MAX_BYTES } from "../../src/avatars/avatar-store.ts";
import { deleteRedisPrefix, redisForTests } from "../../src/testing/redis.ts";
import { ChatClient, SseClient } from "./clients.ts";
import { buildApp, freePort, removeBuild, startCompiledApp, startNginx, until, type Child } from "./processes.ts";
import { deployFile, hasTool, NGINX } from "./tools.ts";

const redis = await redisForTests();
const nginxInstalled = hasTool(NGINX, ["-v"], "apt-get install -y nginx");

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const png = (size: number) => Buffer.concat([PNG, randomBytes(size - PNG.length)]);

describe.skipIf(redis.skip || !nginxInstalled)("nginx in front of two compiled app instances", () => {
  const dir = mkdtempSync(join(tmpdir(), "velox-nginx-live-"));
  const prefix = `velox-test:deploy:${randomBytes(6).toString("hex")}`;
  const ports = { a: 0, b: 0, nginx: 0 };
  const instances: { a?: Child; b?: Child } = {};
  const stopped: Child[] = [];
  let nginx: Child | undefined;
  let base = "";
  let env: Record<string, string> = {};
  let build = "";
  const user = { token: "", id: 0, itemId: 0 };

  const auth = () => ({ authorization: `Bearer ${user.token}` });
  const upstreamOf = (port: number) => `127.0.0.1:${port}`;
  /** nginx's $upstream_addr lists every server it tried ("B, A" when B refused): the last one answered. */
  const answered = (header: string | undefined) => header?.split(", ").at(-1);

  async function account(name: string): Promise<{ token: string; id: number }> {
    const password = `${name}-password-123`;
    const reg = await fetch(`${base}/auth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: name, email: `${name}@example.com`, password }) });
    expect(reg.status).toBe(201);
    const id = ((await reg.json()) as { id: number }).id;
    const res = await fetch(`${base}/auth/token`, { method: "POST", body: new URLSearchParams({ username: name, password }) });
    expect(res.status).toBe(200);
    return { token: ((await res.json()) as { access_token: string }).access_token, id };
  }

  beforeAll(async () => {
    build = buildApp();
    chmodSync(dir, 0o755); // nginx's workers (nobody) spool request bodies under the prefix
    [ports.a, ports.b, ports.nginx] = [await freePort(), await freePort(), await freePort()];
    env = {
      NODE_ENV: "production",
      JWT_SECRET: randomBytes(32).toString("base64url"),
      DATABASE_URL: `sqlite:${join(dir, "app.db")}`,
      AVATAR_DIR: join(dir, "avatars"),
      REDIS_URL: redis.url,
      CHAT_REDIS_PREFIX: prefix,
      TRUST_PROXY: "1",
      SHUTDOWN_TIMEOUT_MS: "8000",
      JOBS_WORKER: "false",
      ARGON2_MEMORY_KIB: "8192",
      ARGON2_TIME_COST: "1",
      LIST_CACHE_TTL_MS: "0",
    };
    // One after the other: the first start migrates the shared database.
    instances.a = await startCompiledApp(build, ports.a, env);
    instances.b = await startCompiledApp(build, ports.b, env);
    nginx = await startNginx(dir, { listenPort: ports.nginx, upstreamPorts: [ports.a, ports.b], extraServer: "add_header X-Upstream $upstream_addr always;" });
    base = `http://127.0.0.1:${ports.nginx}`;
    Object.assign(user, await account("alice"));
    const item = await fetch(`${base}/items`, { method: "POST", headers: { ...auth(), "content-type": "application/json" }, body: JSON.stringify({ title: "first", price: 3 }) });
    expect(item.status).toBe(201);
    user.itemId = ((await item.json()) as { id: number }).id;
  }, 60_000);

  afterAll(async () => {
    await nginx?.stop("SIGQUIT", 5_000);
    await Promise.all([instances.a, instances.b, ...stopped].map((c) => c?.stop("SIGTERM", 10_000)));
    await deleteRedisPrefix(redis.url, prefix);
    rmSync(dir, { recursive: true, force: true });
    if (build) removeBuild(build);
  }, 30_000);

  it("serves the compiled app (no TypeScript loader) on both instances, and round-robins between them", async () => {
    for (const port of [ports.a, ports.b]) expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    for (const child of [instances.a!, instances.b!]) expect(child.process.spawnargs.slice(1)).toEqual([`${build}/main.js`]);
    const seen = new Set<string>();
    for (let i = 0; i < 8 && seen.size < 2; i++) seen.add(answered((await fetch(`${base}/ready`)).headers.get("x-upstream")!)!);
    expect(seen).toEqual(new Set([upstreamOf(ports.a), upstreamOf(ports.b)]));
  });

  it("passes the image's HEALTHCHECK command against an instance, and fails it against a closed port", async () => {
    const command = JSON.parse(/HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(deployFile("Dockerfile"))![1]!) as string[];
    expect(command[0]).toBe("node");
    const run = (port: number) => spawnSync(process.execPath, command.slice(1), { env: { ...process.env, PORT: String(port) }, timeout: 10_000 }).status;
    expect(run(ports.a)).toBe(0);
    expect(run(await freePort())).toBe(1);
  });

  it("answers an authenticated read, and the app believes X-Forwarded-For from nginx only (TRUST_PROXY=1)", async () => {
    const me = await fetch(`${base}/users/me`, { headers: auth() });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: "alice" });
    expect((await fetch(`${base}/users/me`)).status).toBe(401);
    // From 127.0.0.7 with a forged header: nginx appends the real peer, the app takes that hop.
    const marker = `deploy-test-${randomBytes(4).toString("hex")}`;
    await new Promise<void>((resolve, reject) => {
      request({ host: "127.0.0.1", port: ports.nginx, path: `/items/${user.itemId}`, localAddress: "127.0.0.7", headers: { ...auth(), "x-forwarded-for": "203.0.113.9", "user-agent": marker } }, (res) => {
        expect(res.statusCode).toBe(200);
        res.resume().on("end", resolve);
      }).on("error", reject).end();
    });
    const logs = () => `${instances.a!.output}${instances.b!.output}`.split("\n").filter((l) => l.includes(marker));
    await until(() => logs().length > 0, "the access line");
    const line = JSON.parse(logs()[0]!) as { client: string };
    expect(line.client).toBe("127.0.0.7");
  });

  it("takes a 2 MiB avatar (above nginx's 1 MiB default) that both instances then serve; refuses larger ones", async () => {
    const image = png(AVATAR_MAX_BYTES - 1024);
    const put = (bytes: Buffer) => {
      const form = new FormData();
      form.append("file", new Blob([bytes], { type: "image/png" }), "me.png");
      return fetch(`${base}/users/me/avatar`, { method: "PUT", headers: auth(), body: form });
    };
    const ok = await put(image);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ content_type: "image/png", size: image.length });
    const upstreams = new Set<string>();
    for (let i = 0; i < 8 && upstreams.size < 2; i++) {
      const got = await fetch(`${base}/users/${user.id}/avatar`);
      expect(got.status).toBe(200);
      upstreams.add(got.headers.get("x-upstream")!);
      expect(Buffer.from(await got.arrayBuffer()).equals(image)).toBe(true);
    }
    expect(upstreams.size).toBe(2);
    // Over the app's limit but within nginx's: the app's 413 (JSON). Over nginx's: nginx's own.
    const tooBig = await put(png(AVATAR_MAX_BYTES + 256 * 1024));
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get("content-type")).toMatch(/json/);
    const wayTooBig = await put(png(4 * 1024 * 1024));
    expect(wayTooBig.status).toBe(413);
    expect(wayTooBig.headers.get("content-type")).toMatch(/html/);
    expect(wayTooBig.headers.get("x-upstream")).toBeNull();
    // A JSON body over 1 MiB stops at nginx too.
    const json = await fetch(`${base}/items`, { method: "POST", headers: { ...auth(), "content-type": "application/json" }, body: JSON.stringify({ title: "x", price: 1, description: "d".repeat(1_100_000) }) });
    expect(json.status).toBe(413);
  });

  it("streams SSE events as they happen, whichever instance made the change", async () => {
    const sse = new SseClient(`${base}/items/events`, user.token);
    try {
      await until(() => sse.connected, "the SSE stream");
      await new Promise((r) => setTimeout(r, 100));
      const made = new Set<string>();
      let i = 0;
      for (; i < 8 && (made.size < 2 || i < 4); i++) {
        const res = await fetch(`${base}/items`, { method: "POST", headers: { ...auth(), "content-type": "application/json" }, body: JSON.stringify({ title: `sse ${i}`, price: 1 }) });
        expect(res.status).toBe(201);
        made.add(answered(res.headers.get("x-upstream")!)!);
      }
      expect(made.size).toBe(2); // the writes went through both instances
      await until(() => sse.events.length >= i, "an SSE event per write", 5_000);
      expect(sse.events.map((e) => [e.event, e.data.item.title])).toEqual(Array.from({ length: i }, (_, n) => ["created", `sse ${n}`]));
    } finally {
      await sse.stop();
    }
  });

  it("carries a chat message between sockets on different instances", async () => {
    const bob = await account("bob");
    // Alice's sockets until one lands on each instance; bob joins too (a second user).
    const opened: ChatClient[] = [];
    const clients: ChatClient[] = [];
    try {
      const url = `${base.replace("http", "ws")}/ws/lobby`;
      while (new Set(opened.map((c) => answered(c.upstreams[0]))).size < 2 && opened.length < 6) {
        const c = new ChatClient(url, opened.length % 2 === 0 ? user.token : bob.token);
        opened.push(c);
        await c.opened;
      }
      const onA = opened.find((c) => answered(c.upstreams[0]) === upstreamOf(ports.a));
      const onB = opened.find((c) => answered(c.upstreams[0]) === upstreamOf(ports.b));
      expect(onA && onB).toBeTruthy();
      clients.push(onA!, onB!);
      for (const c of opened) if (!clients.includes(c)) c.stop();
      clients[0]!.socket.send(JSON.stringify({ content: "hello from alice" }));
      clients[1]!.socket.send(JSON.stringify({ content: "hello from bob" }));
      await until(() => clients.every((c) => c.messages.length === 2), "both messages on both sockets", 5_000);
      for (const c of clients) expect([...c.messages].sort()).toEqual(["hello from alice", "hello from bob"]);
    } finally {
      for (const c of opened) c.stop();
    }
  });

  it("restarts one instance under load with 0 failed requests; its WebSockets reconnect to the other, SSE resumes with Last-Event-ID", { timeout: 40_000 }, async () => {
    const failures: string[] = [];
    let succeeded = 0;
    let stop = false;
    const wsUrl = `${base.replace("http", "ws")}/ws/restart`;
    // Until each instance holds one SSE stream and one socket (nginx alternates, other requests interleave).
    const streams: SseClient[] = [];
    const sockets: ChatClient[] = [];
    while (new Set(streams.map((s) => answered(s.upstreams[0]))).size < 2 && streams.length < 6) {
      const s = new SseClient(`${base}/items/events`, user.token);
      streams.push(s);
      await until(() => s.connected, "an SSE stream");
    }
    while (new Set(sockets.map((s) => answered(s.upstreams[0]))).size < 2 && sockets.length < 6) {
      const c = new ChatClient(wsUrl, user.token);
      sockets.push(c);
      await c.opened;
    }
    const onB = (up: string | undefined) => answered(up) === upstreamOf(ports.b);
    const sseOnB = streams.find((s) => onB(s.upstreams[0]))!;
    const wsOnB = sockets.find((c) => onB(c.upstreams[0]))!;
    expect(sseOnB).toBeDefined();
    expect(wsOnB).toBeDefined();
    await new Promise((r) => setTimeout(r, 100));

    // Load: 8 readers of one item, and a writer whose items the SSE streams must all deliver.
    const created: number[] = [];
    const reader = async () => {
      while (!stop) {
        try {
          const res = await fetch(`${base}/items/${user.itemId}`, { headers: auth() });
          await res.arrayBuffer();
          if (res.status === 200) succeeded++;
          else failures.push(`GET ${res.status}`);
        } catch (error) {
          failures.push(`GET ${(error as Error).cause ?? error}`);
        }
      }
    };
    const writer = async () => {
      while (!stop) {
        try {
          const res = await fetch(`${base}/items`, { method: "POST", headers: { ...auth(), "content-type": "application/json" }, body: JSON.stringify({ title: "during restart", price: 2 }) });
          if (res.status === 201) created.push(((await res.json()) as { id: number }).id);
          else failures.push(`POST ${res.status} ${await res.text()}`);
        } catch (error) {
          failures.push(`POST ${(error as Error).cause ?? error}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const load = Promise.all([...Array.from({ length: 8 }, reader), writer()]);

    await new Promise((r) => setTimeout(r, 700));
    const old = instances.b!;
    stopped.push(old);
    const exitCode = await old.stop("SIGTERM", 15_000);
    const succeededWhileDown = succeeded;
    instances.b = await startCompiledApp(build, ports.b, env);
    await until(async () => (await fetch(`http://127.0.0.1:${ports.b}/ready`).then((r) => r.status, () => 0)) === 200, "the restarted instance ready");
    // nginx marks a refusing server down for fail_timeout (2 s): wait until it sends traffic there again.
    await until(() => /"path":"\/items\/\d+"/.test(instances.b!.output), "traffic on the restarted instance", 8_000);
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await load;

    if (process.env.VELOX_DEPLOY_FIGURES) console.log(`rolling restart: ${succeeded} reads answered, ${created.length} items created, failures ${failures.length}, B exit ${exitCode}`);
    expect(exitCode).toBe(0);
    expect(failures).toEqual([]);
    expect(succeeded).toBeGreaterThan(succeededWhileDown);
    expect(created.length).toBeGreaterThan(5);

    // The socket on the stopped instance was told 1001 and reconnected through nginx to the other one.
    expect(wsOnB.closeCodes[0]).toBe(1001);
    await until(() => wsOnB.open, "the chat socket reconnected");
    expect(wsOnB.upstreams.length).toBeGreaterThan(1);
    expect(answered(wsOnB.upstreams[1])).toBe(upstreamOf(ports.a));
    sockets[0]!.socket.send(JSON.stringify({ content: "after the restart" }));
    await until(() => sockets.every((c) => c.messages.includes("after the restart")), "the message on every socket", 5_000);

    // Every SSE stream has every item made during the restart, once; the one on B resumed.
    await until(() => streams.every((s) => created.every((id) => s.events.some((e) => e.data.item_id === id))), "every created item on every stream", 8_000);
    for (const s of streams) {
      const ids = s.events.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(sseOnB.resumedFrom.length).toBeGreaterThan(0);
    expect(answered(sseOnB.upstreams[1])).toBe(upstreamOf(ports.a));
    for (const s of streams) await s.stop();
    for (const c of sockets) c.stop();
  });
});
