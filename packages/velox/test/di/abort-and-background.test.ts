import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { depends, Velox, type Logger } from "../../src/index.ts";
import { serveForTest, TestClient } from "../../src/testing/index.ts";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function memoryLogger() {
  const lines: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
  const logger: Logger = {
    error: (obj, msg) => void lines.push({ level: "error", obj: obj as Record<string, unknown>, msg }),
    warn: (obj, msg) => void lines.push({ level: "warn", obj: obj as Record<string, unknown>, msg }),
    info: (obj, msg) => void lines.push({ level: "info", obj: obj as Record<string, unknown>, msg }),
  };
  return { logger, lines };
}

describe("client abort", () => {
  it("runs request-scoped cleanup exactly once when the client goes away mid-request", async () => {
    let cleanups = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const started = deferred();
    const cleaned = deferred();
    const resource = depends(async function* () {
      try { yield 1; } finally {
        cleanups++;
        cleaned.resolve();
      }
    });
    const app = new Velox({ logger: false });
    app.get("/slow", { deps: { resource } }, async () => {
      started.resolve();
      await gate;
      return { done: true };
    });
    const live = await serveForTest(app);
    const req = request(`${live.url}/slow`);
    req.on("error", () => undefined);
    req.end();
    await started.promise;
    req.destroy();
    await new Promise((r) => setTimeout(r, 50));
    release();
    await cleaned.promise;
    await new Promise((r) => setTimeout(r, 20));
    expect(cleanups).toBe(1);
    await live.close();
  });
});

describe("background tasks", () => {
  it("runs tasks after the response, in order, with their arguments", async () => {
    const events: string[] = [];
    const app = new Velox({ logger: false });
    const audit = depends(({ background }) => {
      background.add((what: string) => void events.push(`dep:${what}`), "audit");
      return true;
    });
    app.post("/send", { body: z.object({ to: z.string() }), deps: { audit } }, ({ body, background, res }) => {
      res.once("finish", () => events.push("response"));
      background.add(async (to: string) => {
        await new Promise((r) => setTimeout(r, 5));
        events.push(`mail:${to}`);
      }, body.to);
      background.add(() => void events.push("last"));
      return { queued: true };
    });
    const client = new TestClient(app);
    expect((await client.post("/send", { json: { to: "ada@example.com" } })).json()).toEqual({ queued: true });
    await client.close();
    expect(events).toEqual(["response", "dep:audit", "mail:ada@example.com", "last"]);
  });

  it("logs a failing task with the request id, counts it, and keeps running the others", async () => {
    const { logger, lines } = memoryLogger();
    const app = new Velox({ logger });
    const ran: string[] = [];
    app.get("/", {}, ({ background }) => {
      background.add(function sendMail() {
        throw new Error("smtp down");
      });
      background.add(() => void ran.push("after"));
      return "ok";
    });
    const client = new TestClient(app);
    const res = await client.get("/", { headers: { "x-request-id": "req-42" } });
    expect(res.status).toBe(200);
    await client.close();
    expect(ran).toEqual(["after"]);
    expect(app.backgroundRunner.failures).toBe(1);
    const entry = lines.find((l) => l.msg === "background task failed");
    expect(entry?.obj.requestId).toBe("req-42");
    expect(entry?.obj.task).toBe("sendMail");
  });

  it("makes shutdown wait for pending tasks, up to a bound", async () => {
    const app = new Velox({ logger: false });
    let finished = false;
    app.get("/", {}, ({ background }) => {
      background.add(() => new Promise<void>((r) => setTimeout(() => {
        finished = true;
        r();
      }, 100)));
      return "ok";
    });
    const client = new TestClient(app);
    await client.get("/");
    await client.close();
    expect(finished).toBe(true);

    const { logger, lines } = memoryLogger();
    const stuck = new Velox({ logger });
    stuck.get("/", {}, ({ background }) => {
      background.add(() => new Promise(() => undefined));
      return "ok";
    });
    const c2 = new TestClient(stuck);
    await c2.get("/");
    const t0 = Date.now();
    await stuck.close({ timeoutMs: 100 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(lines.some((l) => l.msg === "background tasks still running at shutdown")).toBe(true);
  });
});
