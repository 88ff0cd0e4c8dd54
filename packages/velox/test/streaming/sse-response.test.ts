/**
 * EventSourceResponse and JsonLinesResponse over a real socket: the wire format, keep-alive,
 * per-item validation, disconnects seen at once, writes that reject after a close, shutdown.
 */
import { getEventListeners } from "node:events";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { EventSourceResponse, JsonLinesResponse } from "../../src/responses/event-source.ts";
import { ServerSentEvent } from "../../src/responses/sse-event.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { OpenStream } from "./stream-client.ts";

const Item = z.object({ id: z.int(), name: z.string() });

function closeSignal(res: import("node:http").ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once("close", () => controller.abort());
  return controller.signal;
}

describe("EventSourceResponse over a socket", () => {
  let live: LiveServer;
  const shutdown = new AbortController();
  const log: unknown[] = [];
  const probe = { finallyAt: 0, produced: 0, stopped: false };
  const flood = { finallyAt: 0, produced: 0 };
  const ticking = { finallyAt: 0 };

  beforeAll(async () => {
    const app = new Velox({ logger: false });
    app.get("/events", {}, () => new EventSourceResponse((async function* () {
      yield { id: 1, name: "Hammer", secret: "dropped by the schema" };
      yield new ServerSentEvent({ data: { id: 2, name: "Saw" }, event: "created", id: "2", retry: 3000 });
      yield new ServerSentEvent({ rawData: "line one\nline two", comment: "raw" });
      yield new ServerSentEvent({ comment: "only a comment" });
    })(), { schema: Item, keepAlive: false }));
    app.get("/idle", {}, (ctx) => {
      const signal = closeSignal(ctx.res);
      return new EventSourceResponse((async function* () {
        try {
          yield { id: 1, name: "first" };
          await sleep(60_000, undefined, { signal });
        } catch {
          // aborted
        } finally {
          probe.finallyAt = Date.now();
        }
      })(), { schema: Item, keepAlive: 50 });
    });
    app.get("/ticking", {}, () => new EventSourceResponse((async function* () {
      try {
        for (let i = 0; ; i++) {
          yield { id: i, name: "tick" };
          await sleep(20);
        }
      } finally {
        ticking.finallyAt = Date.now();
      }
    })(), { schema: Item, keepAlive: false }));
    app.get("/flood", {}, () => new EventSourceResponse((async function* () {
      const big = "x".repeat(64 * 1024);
      try {
        for (let i = 0; ; i++) {
          flood.produced++;
          yield { id: i, name: big };
        }
      } finally {
        flood.finallyAt = Date.now();
      }
    })(), { schema: Item, keepAlive: false }));
    app.get("/invalid", {}, () => new EventSourceResponse((async function* () {
      yield { id: 1, name: "ok" };
      yield { id: "two", name: "bad" };
      yield { id: 3, name: "never" };
    })(), { schema: Item, keepAlive: false, onError: (err) => log.push(err) }));
    app.get("/forever", {}, (ctx) => {
      const signal = closeSignal(ctx.res);
      return new EventSourceResponse((async function* () {
        try {
          yield { id: 0, name: "hello" };
          await sleep(60_000, undefined, { signal });
        } catch {
          // aborted
        } finally {
          probe.stopped = true;
        }
      })(), { schema: Item, keepAlive: false, signal: shutdown.signal });
    });
    app.get("/lines", {}, () => new JsonLinesResponse([{ id: 1, name: "a", extra: 1 }, { id: 2, name: "b" }], { schema: Item }));
    live = await serveForTest(app);
  });
  afterAll(() => live.close());

  it("writes data as JSON, the fields of ServerSentEvents, and the SSE headers", async () => {
    const stream = await OpenStream.open(`${live.url}/events`);
    await stream.end();
    expect(stream.response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(stream.response.headers.get("cache-control")).toBe("no-cache");
    expect(stream.response.headers.get("x-accel-buffering")).toBe("no");
    expect(stream.text).toBe(
      'data: {"id":1,"name":"Hammer"}\n\n' +
      'event: created\ndata: {"id":2,"name":"Saw"}\nid: 2\nretry: 3000\n\n' +
      ": raw\ndata: line one\ndata: line two\n\n" +
      ": only a comment\n\n",
    );
    expect(stream.cut).toBe(false);
  });

  it("sends a keep-alive comment while idle", async () => {
    const stream = await OpenStream.open(`${live.url}/idle`);
    await stream.until((t) => t.split(": ping\n\n").length >= 3);
    expect(stream.events()[0]!.data).toBe('{"id":1,"name":"first"}');
    stream.close();
  });

  it("sees a client disconnect within a second: a generator waiting on the signal runs its finally", async () => {
    probe.finallyAt = 0;
    const stream = await OpenStream.open(`${live.url}/idle`);
    await stream.until((t) => t.includes("first"));
    const closedAt = Date.now();
    stream.close();
    await expect.poll(() => probe.finallyAt, { timeout: 1000, interval: 10 }).toBeGreaterThan(0);
    expect(probe.finallyAt - closedAt).toBeLessThan(1000);
  });

  it("stops a producing generator at once when the client leaves", async () => {
    ticking.finallyAt = 0;
    const stream = await OpenStream.open(`${live.url}/ticking`);
    await stream.until((t) => t.split("\n\n").length > 3);
    const closedAt = Date.now();
    stream.close();
    await expect.poll(() => ticking.finallyAt, { timeout: 1000, interval: 10 }).toBeGreaterThan(0);
    expect(ticking.finallyAt - closedAt).toBeLessThan(1000);
  });

  it("a write blocked on a client that stopped reading rejects when it leaves, instead of hanging", async () => {
    flood.finallyAt = 0;
    flood.produced = 0;
    const socket = connect(live.port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    socket.write("GET /flood HTTP/1.1\r\nHost: x\r\n\r\n");
    socket.pause();
    // The producer runs until the socket buffers are full, then waits for a drain that never comes.
    let last = -1;
    await expect.poll(() => {
      const stalled = flood.produced === last && flood.produced > 0;
      last = flood.produced;
      return stalled;
    }, { timeout: 5000, interval: 200 }).toBe(true);
    expect(flood.finallyAt).toBe(0);
    const closedAt = Date.now();
    socket.destroy();
    await expect.poll(() => flood.finallyAt, { timeout: 1000, interval: 10 }).toBeGreaterThan(0);
    expect(flood.finallyAt - closedAt).toBeLessThan(1000);
  });

  it("an item that fails validation cuts the stream after the valid ones and is reported", async () => {
    const stream = await OpenStream.open(`${live.url}/invalid`);
    await stream.end();
    expect(stream.cut).toBe(true);
    expect(stream.events().map((e) => e.data)).toEqual(['{"id":1,"name":"ok"}']);
    expect(log).toHaveLength(1);
    expect((log[0] as Error).name).toBe("ResponseValidationError");
  });

  it("ends open streams cleanly when shutdown begins, and leaves no listener behind", async () => {
    const streams = await Promise.all([1, 2, 3].map(() => OpenStream.open(`${live.url}/forever`)));
    await Promise.all(streams.map((s) => s.until((t) => t.includes("hello"))));
    expect(getEventListeners(shutdown.signal, "abort")).toHaveLength(3);
    shutdown.abort();
    await Promise.all(streams.map((s) => s.end()));
    expect(streams.every((s) => !s.cut)).toBe(true);
    expect(getEventListeners(shutdown.signal, "abort")).toHaveLength(0);
    await expect.poll(() => probe.stopped, { timeout: 1000 }).toBe(true);
  });

  it("writes JSON Lines, one validated item per line", async () => {
    const res = await fetch(`${live.url}/lines`);
    expect(res.headers.get("content-type")).toBe("application/jsonl");
    expect(await res.text()).toBe('{"id":1,"name":"a"}\n{"id":2,"name":"b"}\n');
  });
});
