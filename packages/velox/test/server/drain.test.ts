/** Graceful shutdown of one process (`workers: 0`), driven through `handle.shutdown()`. */
import { Agent } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { Velox } from "../../src/index.ts";
import { serve, type ServerHandle } from "../../src/server/index.ts";
import { RawClient, send } from "./helpers/raw.ts";

const handles: ServerHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.shutdown()));
});

function appWithEvents(events: string[]): Velox {
  const app = new Velox({
    logger: false,
    async *lifespan() {
      events.push("startup");
      yield;
      events.push("cleanup");
    },
  });
  app.get("/slow", {}, async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    events.push("slow answered");
    return { ok: true };
  });
  app.get("/hang", {}, () => new Promise(() => {}));
  app.post("/task", {}, ({ background }) => {
    background.add(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      events.push("background done");
    });
    return { queued: true };
  });
  return app;
}

describe("graceful shutdown", () => {
  it("finishes in-flight requests and background tasks before lifespan cleanup, and refuses new connections", async () => {
    const events: string[] = [];
    const handle = await serve(appWithEvents(events), { port: 0, workers: 0, handleSignals: false, idleGraceMs: 100 });
    handles.push(handle);
    expect(events).toEqual(["startup"]);
    expect((await send(`${handle.url}/task`, { method: "POST" })).status).toBe(200);
    const inFlight = send(`${handle.url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const done = handle.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(send(`${handle.url}/slow`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    const reply = await inFlight;
    expect([reply.status, reply.headers.connection]).toEqual([200, "close"]);
    await done;
    expect(events).toHaveLength(4);
    expect(events).toEqual(expect.arrayContaining(["startup", "slow answered", "background done"]));
    expect(events.at(-1)).toBe("cleanup");
    expect(await handle.closed).toBe(0);
  });

  it("serves one last request on an idle keep-alive connection during the grace, then closes idle ones", async () => {
    const handle = await serve(appWithEvents([]), { port: 0, workers: 0, handleSignals: false, idleGraceMs: 400 });
    handles.push(handle);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await send(`${handle.url}/slow`, { agent });
    const idle = new RawClient(handle.port);
    await idle.connected;
    const started = Date.now();
    const done = handle.shutdown();
    // A request that was already on its way on a kept-alive socket is answered, not reset.
    const last = await send(`${handle.url}/slow`, { agent });
    expect([last.status, last.headers.connection]).toEqual([200, "close"]);
    // A connection that never sends anything is closed once the grace is over.
    await idle.closed;
    expect(idle.received).toBe("");
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(Date.now() - started).toBeLessThan(3_000);
    await done;
    agent.destroy();
  });

  it("cuts requests still running at the deadline and reports an unclean exit", async () => {
    const events: string[] = [];
    const handle = await serve(appWithEvents(events), { port: 0, workers: 0, handleSignals: false, idleGraceMs: 0, shutdownTimeoutMs: 600 });
    handles.push(handle);
    const hanging = send(`${handle.url}/hang`).catch((err: NodeJS.ErrnoException) => err.code);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await handle.shutdown();
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(await hanging).toBe("ECONNRESET");
    expect(events).toContain("cleanup");
    expect(await handle.closed).toBe(1);
  });
});
