import { Agent } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { Velox } from "../../src/index.ts";
import { serve, type ServeOptions, type ServerHandle } from "../../src/server/index.ts";
import { send } from "./helpers/raw.ts";

const handles: ServerHandle[] = [];

async function start(options: ServeOptions = {}, setup: (app: Velox) => void = () => {}): Promise<ServerHandle> {
  const app = new Velox({ logger: false });
  app.get("/json", {}, () => ({ ok: true }));
  app.get("/slow", {}, async () => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { slow: true };
  });
  setup(app);
  const handle = await serve(app, { port: 0, workers: 0, handleSignals: false, idleGraceMs: 200, ...options });
  handles.push(handle);
  return handle;
}

afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.shutdown()));
});

describe("/health and /ready", () => {
  it("answer on by default, bypass the app, and carry no-store", async () => {
    const { url } = await start();
    const health = await send(`${url}/health`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: "ok" });
    expect(health.headers["cache-control"]).toBe("no-store");
    const ready = await send(`${url}/ready?probe=k8s`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: "ready" });
    const head = await send(`${url}/health`, { method: "HEAD" });
    expect([head.status, head.body]).toEqual([200, ""]);
    const post = await send(`${url}/ready`, { method: "POST" });
    expect([post.status, post.headers.allow]).toEqual([405, "GET, HEAD"]);
  });

  it("move to other paths or go away, leaving the path to the app", async () => {
    const moved = await start({ healthPath: "/livez", readyPath: "/readyz" }, (app) => app.get("/health", {}, () => ({ app: true })));
    expect((await send(`${moved.url}/livez`)).status).toBe(200);
    expect((await send(`${moved.url}/readyz`)).status).toBe(200);
    expect(JSON.parse((await send(`${moved.url}/health`)).body)).toEqual({ app: true });
    const off = await start({ healthPath: false, readyPath: false });
    expect((await send(`${off.url}/health`)).status).toBe(404);
    expect((await send(`${off.url}/ready`)).status).toBe(404);
  });

  it("runs readiness checks: a failing critical check is 503, a failing optional one is degraded, a slow one times out", async () => {
    let dbUp = true;
    const { url } = await start({
      readinessChecks: [
        { name: "db", check: () => (dbUp ? "ok" : false) },
        { name: "cache", critical: false, check: () => Promise.reject(new Error("redis down")) },
      ],
    });
    const degraded = await send(`${url}/ready`);
    expect(degraded.status).toBe(200);
    const body = JSON.parse(degraded.body) as { status: string; checks: Record<string, { status: string }> };
    expect(body.status).toBe("degraded");
    expect(body.checks.db?.status).toBe("ok");
    expect(body.checks.cache?.status).toBe("fail");
    expect(degraded.body).not.toContain("redis down");
    dbUp = false;
    const down = await send(`${url}/ready`);
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body).status).toBe("unavailable");

    let aborted = false;
    const slow = await start({
      readinessChecks: [{ name: "slow", timeoutMs: 100, check: (signal) => new Promise((resolve) => {
        signal.addEventListener("abort", () => (aborted = true));
        setTimeout(resolve, 2_000);
      }) }],
    });
    const started = Date.now();
    const timedOut = await send(`${slow.url}/ready`);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(timedOut.status).toBe(503);
    expect(JSON.parse(timedOut.body).checks.slow.status).toBe("timeout");
    expect(aborted).toBe(true);
  });

  it("readiness turns 503 at once on shutdown while liveness stays 200 and responses close their connection", async () => {
    const handle = await start({ idleGraceMs: 1_000 });
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    // Open keep-alive connections first: during the drain only they can still reach the server.
    await Promise.all([send(`${handle.url}/json`, { agent }), send(`${handle.url}/json`, { agent }), send(`${handle.url}/json`, { agent })]);
    const inFlight = send(`${handle.url}/slow`, { agent });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const shutdown = handle.shutdown();
    expect(handle.draining).toBe(true);
    const [ready, health] = await Promise.all([send(`${handle.url}/ready`, { agent }), send(`${handle.url}/health`, { agent })]);
    expect([ready.status, JSON.parse(ready.body)]).toEqual([503, { status: "draining" }]);
    expect(ready.headers.connection).toBe("close");
    expect(health.status).toBe(200);
    const slow = await inFlight;
    expect([slow.status, slow.headers.connection]).toEqual([200, "close"]);
    await shutdown;
    agent.destroy();
  });
});
