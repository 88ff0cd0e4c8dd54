import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox, type Logger } from "../../src/index.ts";
import { requestId } from "../../src/middleware/request-id.ts";
import { timing } from "../../src/middleware/timing.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { send } from "./http-get.ts";
import { install } from "./install.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("requestId over a real socket", () => {
  let live: LiveServer;
  let counter: LiveServer;
  const logged: unknown[] = [];
  beforeAll(async () => {
    const logger: Logger = { error: (obj) => logged.push(obj), warn: () => {}, info: () => {} };
    const app = new Velox({ logger });
    app.get("/id", {}, ({ requestId }) => ({ requestId }));
    app.get("/items/{id}", { path: { id: z.int() } }, ({ path }) => path);
    app.get("/boom", {}, () => {
      throw new Error("boom");
    });
    live = await serveForTest(install(app, requestId()));
    let n = 0;
    const numbered = new Velox({ logger: false });
    numbered.get("/id", {}, ({ requestId }) => ({ requestId }));
    counter = await serveForTest(install(numbered, requestId({ header: "X-Correlation-ID", accept: false, generate: () => `req-${++n}` })));
  });
  afterAll(async () => {
    await live.close();
    await counter.close();
  });

  it("echoes a well-formed incoming id and hands it to the handler", async () => {
    const res = await send(`${live.url}/id`, { headers: { "x-request-id": "abc-123" } });
    expect(res.headers["x-request-id"]).toBe("abc-123");
    expect(JSON.parse(res.body.toString())).toEqual({ requestId: "abc-123" });
  });

  it("generates one when there is none or it is malformed", async () => {
    for (const headers of [{}, { "x-request-id": "a b" }, { "x-request-id": "x".repeat(129) }, { "x-request-id": "<script>" }] as Record<string, string>[]) {
      const res = await send(`${live.url}/id`, { headers });
      const id = res.headers["x-request-id"] as string;
      expect(id).toMatch(UUID);
      expect(JSON.parse(res.body.toString()).requestId).toBe(id);
    }
  });

  it("is on 404s, 422s and 500s too, and the 500's log line carries it", async () => {
    expect((await send(`${live.url}/nope`, { headers: { "x-request-id": "r-404" } })).headers["x-request-id"]).toBe("r-404");
    expect((await send(`${live.url}/items/x`, { headers: { "x-request-id": "r-422" } })).headers["x-request-id"]).toBe("r-422");
    const failed = await send(`${live.url}/boom`, { headers: { "x-request-id": "r-500" } });
    expect(failed.status).toBe(500);
    expect(failed.headers["x-request-id"]).toBe("r-500");
    expect(logged).toContainEqual(expect.objectContaining({ requestId: "r-500" }));
  });

  it("uses its own header name and generator, ignoring incoming ids when told to", async () => {
    const res = await send(`${counter.url}/id`, { headers: { "x-correlation-id": "client-chosen" } });
    expect(res.headers["x-correlation-id"]).toMatch(/^req-\d+$/);
    expect(JSON.parse(res.body.toString()).requestId).toBe(res.headers["x-correlation-id"]);
  });

  it("refuses a bad header name", () => {
    expect(() => requestId({ header: "x request id" })).toThrow(/header name/);
  });
});

describe("timing over a real socket", () => {
  let live: LiveServer;
  const warnings: { obj: Record<string, unknown>; msg?: string }[] = [];
  beforeAll(async () => {
    const logger: Logger = { error: () => {}, warn: (obj, msg) => warnings.push({ obj: obj as Record<string, unknown>, msg }), info: () => {} };
    const app = new Velox({ logger: false });
    app.get("/fast", {}, () => "ok");
    app.get("/slow/{ms}", { path: { ms: z.int() } }, async ({ path }) => {
      await new Promise((r) => setTimeout(r, path.ms));
      return "late";
    });
    live = await serveForTest(install(app, timing({ header: "both", slowMs: 150, logger })));
  });
  afterAll(() => live.close());

  it("writes X-Process-Time in seconds and Server-Timing in ms, on 404s too", async () => {
    for (const path of ["/fast", "/nope"]) {
      const res = await send(`${live.url}${path}`);
      expect(res.headers["x-process-time"], path).toMatch(/^\d+\.\d{6}$/);
      expect(res.headers["server-timing"], path).toMatch(/^app;dur=\d+\.\d{3}$/);
    }
  });

  it("measures the handler's time and warns about slow requests only", async () => {
    const res = await send(`${live.url}/slow/200`);
    expect(Number(res.headers["x-process-time"])).toBeGreaterThanOrEqual(0.19);
    await expect.poll(() => warnings.length).toBe(1);
    expect(warnings[0]).toEqual({ msg: "slow request", obj: expect.objectContaining({ method: "GET", route: "/slow/{ms}", status: 200, aborted: false }) });
    expect(warnings[0]!.obj.durationMs as number).toBeGreaterThanOrEqual(190);
    await send(`${live.url}/slow/1`);
    await new Promise((r) => setTimeout(r, 50));
    expect(warnings).toHaveLength(1);
  });

  it("refuses bad options", () => {
    expect(() => timing({ header: "x-time" as never })).toThrow(/header/);
    expect(() => timing({ slowMs: -1 })).toThrow(/slowMs/);
  });
});
