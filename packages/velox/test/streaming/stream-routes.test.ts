/**
 * Routes declared with `response: sse(Item)` / `jsonl(Item)` over real sockets: validation per
 * item, Last-Event-ID as a header parameter, per-route keep-alive, disconnects seen within a
 * second through ctx.signal, graceful shutdown through velox/server, no leaks over many cycles.
 */
import { getEventListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { generateOpenAPI, HTTPException, jsonl, ServerSentEvent, sse, Velox } from "../../src/index.ts";
import { serve } from "../../src/server/index.ts";
import { serveForTest, TestClient, type LiveServer } from "../../src/testing/index.ts";
import { OpenStream } from "./stream-client.ts";

const Tick = z.object({ n: z.int().min(0) });
const Item = z.object({ id: z.int(), name: z.string() });

const state = { finally: 0, open: 0 };

function buildApp(): Velox {
  const app = new Velox({ logger: false });
  app.get("/ticks", { query: { from: z.int().min(0).default(0) }, headers: { last_event_id: z.string().regex(/^\d+$/).optional() }, response: sse(Tick, { keepAlive: 40 }) },
    async function* ({ query, headers, signal }) {
      state.open++;
      try {
        let n = headers.last_event_id === undefined ? query.from : Number(headers.last_event_id) + 1;
        for (; n < query.from + 3; n++) yield new ServerSentEvent({ data: { n }, id: String(n) });
        // Then idle: only keep-alive pings until the client leaves.
        await sleep(60_000, undefined, { signal }).catch(() => undefined);
      } finally {
        state.open--;
        state.finally++;
      }
    });
  app.get("/items/{id}/watch", { path: { id: z.int() }, response: sse(Item) }, async ({ path }) => {
    if (path.id !== 1) throw new HTTPException(404, "Item not found");
    return (async function* () {
      yield { id: 1, name: "Hammer", internal: "dropped" };
    })();
  });
  app.get("/bad", { response: sse(Tick) }, async function* () {
    yield { n: 1 };
    yield { n: -1 };
  });
  app.get("/export", { response: jsonl(Item) }, function* () {
    yield { id: 1, name: "a" };
    yield { id: 2, name: "b", secret: "x" };
  });
  app.get("/headers", { response: jsonl(Item), status: 201 }, ({ response }) => {
    response.setHeader("x-total", "1");
    return [{ id: 1, name: "a" }];
  });
  app.get("/not-iterable", { response: jsonl(Item) }, () => 42 as never);
  return app;
}

describe("sse() and jsonl() routes", () => {
  let live: LiveServer;
  beforeAll(async () => {
    live = await serveForTest(buildApp());
  });
  afterAll(() => live.close());

  it("sends validated events with ids and pings on an idle stream at the route's interval", async () => {
    const stream = await OpenStream.open(`${live.url}/ticks?from=5`);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    await stream.until((t) => t.split(": ping").length >= 3);
    expect(stream.events().filter((e) => e.data !== undefined).map((e) => [e.id, e.data])).toEqual([["5", '{"n":5}'], ["6", '{"n":6}'], ["7", '{"n":7}']]);
    stream.close();
  });

  it("reads Last-Event-ID as a header parameter, so a reconnecting client resumes", async () => {
    const stream = await OpenStream.open(`${live.url}/ticks`, { headers: { "Last-Event-ID": "0" } });
    await stream.until((t) => t.includes("id: 2"));
    expect(stream.events().map((e) => e.id)).toEqual(["1", "2"]);
    stream.close();
    const bad = await fetch(`${live.url}/ticks`, { headers: { "Last-Event-ID": "x" } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { detail: { loc: unknown }[] }).detail[0]!.loc).toEqual(["header", "last-event-id"]);
  });

  it("sees the client leave within a second: ctx.signal aborts and the generator's finally runs", async () => {
    const before = state.finally;
    const stream = await OpenStream.open(`${live.url}/ticks`);
    await stream.until((t) => t.includes("id: 2"));
    const left = Date.now();
    stream.close();
    await expect.poll(() => state.finally, { timeout: 1000, interval: 10 }).toBe(before + 1);
    expect(Date.now() - left).toBeLessThan(1000);
  });

  it("an async handler can still answer an error before the stream starts", async () => {
    const missing = await fetch(`${live.url}/items/2/watch`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: "Item not found" });
    const ok = await OpenStream.open(`${live.url}/items/1/watch`);
    await ok.end();
    expect(ok.text).toBe('data: {"id":1,"name":"Hammer"}\n\n');
  });

  it("cuts the stream at an item that fails validation", async () => {
    const stream = await OpenStream.open(`${live.url}/bad`);
    await stream.end();
    expect(stream.cut).toBe(true);
    expect(stream.events().map((e) => e.data)).toEqual(['{"n":1}']);
  });

  it("writes JSON Lines with the route's status and headers, filtering each item", async () => {
    const res = await fetch(`${live.url}/export`);
    expect(res.headers.get("content-type")).toBe("application/jsonl");
    expect(await res.text()).toBe('{"id":1,"name":"a"}\n{"id":2,"name":"b"}\n');
    const other = await fetch(`${live.url}/headers`);
    expect([other.status, other.headers.get("x-total")]).toEqual([201, "1"]);
    await other.text();
  });

  it("a streamed route returning something else is a 500 before any byte of the stream", async () => {
    const res = await fetch(`${live.url}/not-iterable`);
    expect(res.status).toBe(500);
  });

  it("leaks no listener, timer or open generator over many connect/disconnect cycles", async () => {
    const app = buildApp();
    const other = await serveForTest(app);
    try {
      const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
      const baseTimers = timers();
      for (let round = 0; round < 4; round++) {
        await Promise.all(Array.from({ length: 25 }, async () => {
          const stream = await OpenStream.open(`${other.url}/ticks`);
          await stream.until((t) => t.includes("id: 2"));
          stream.close();
        }));
      }
      await expect.poll(() => state.open, { timeout: 2000 }).toBe(0);
      expect(getEventListeners(app.shutdownSignal, "abort")).toHaveLength(0);
      await expect.poll(() => timers() <= baseTimers + 2, { timeout: 2000 }).toBe(true);
    } finally {
      await other.close();
    }
  });

  it("documents SSE events and JSON lines", () => {
    const doc = generateOpenAPI(buildApp());
    const ticks = doc.paths["/ticks"]!.get!.responses["200"] as { content: Record<string, { schema: Record<string, any> }> };
    const event = ticks.content["text/event-stream"]!.schema;
    expect(event.required).toEqual(["data"]);
    expect(event.properties.data).toMatchObject({ type: "string", contentMediaType: "application/json" });
    expect(Object.keys(event.properties)).toEqual(["data", "event", "id", "retry"]);
    const exported = doc.paths["/export"]!.get!.responses["200"] as { content: Record<string, unknown> };
    expect(Object.keys(exported.content)).toEqual(["application/jsonl"]);
    const params = doc.paths["/ticks"]!.get!.parameters as { name: string; in: string }[];
    expect(params.map((p) => [p.in, p.name])).toContainEqual(["header", "last-event-id"]);
  });

  it("the test client reads a finite stream whole", async () => {
    const client = new TestClient(buildApp());
    const res = await client.get("/export");
    expect(res.text).toBe('{"id":1,"name":"a"}\n{"id":2,"name":"b"}\n');
    await client.close();
  });
});

describe("streams and graceful shutdown", () => {
  it("velox/server's drain ends open streams cleanly and runs their generators' finally", async () => {
    const before = state.finally;
    const handle = await serve(buildApp(), { port: 0, workers: 0, handleSignals: false, idleGraceMs: 50, shutdownTimeoutMs: 5000 });
    const streams = await Promise.all([1, 2, 3].map(() => OpenStream.open(`${handle.url}/ticks`)));
    await Promise.all(streams.map((s) => s.until((t) => t.includes("id: 2"))));
    const started = Date.now();
    await handle.shutdown();
    await Promise.all(streams.map((s) => s.end()));
    expect(streams.map((s) => s.cut)).toEqual([false, false, false]);
    expect(Date.now() - started).toBeLessThan(3000);
    await expect.poll(() => state.finally, { timeout: 1000 }).toBe(before + 3);
  });
});
