/**
 * The same WebSocket behaviour on both runtimes: the app of websocket-apps.ts under node's
 * `serve()` (ws) in this process and under Bun's native server (Bun.serve's WebSocket and pub/sub)
 * in a Bun process; then two Bun processes sharing a room over Redis.
 */
import { request } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { serve, type ServerHandle } from "../../src/server/index.ts";
import { deletePrefix, skipRedis, testPrefix, TEST_REDIS_URL } from "../websocket/redis-helpers.ts";
import { TestWs } from "../websocket/ws-client.ts";
import { bunBinary, hostOnBun } from "./bun-process.ts";
import { websocketApp } from "./websocket-apps.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const APP = join(HERE, "websocket-apps.ts");
const bun = bunBinary();
const runtimes = bun === null ? ["node"] : ["node", "bun"];

interface Served {
  ws: string;
  http: string;
  /** Graceful shutdown; resolves with the exit code on Bun (0 on node). */
  stop(): Promise<number | null>;
}

async function host(runtime: string, env: Record<string, string> = {}): Promise<Served> {
  if (runtime === "bun") {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const hosted = await hostOnBun(APP, "websocketApp").finally(() => {
      process.env = saved;
    });
    expect(hosted.runtime).toBe("bun");
    return { ws: hosted.url.replace("http", "ws"), http: hosted.url, stop: () => hosted.stop() };
  }
  const handle: ServerHandle = await serve(websocketApp(), { port: 0, host: "127.0.0.1", workers: 0, handleSignals: false, logger: { error() {}, warn() {}, info() {} } });
  return { ws: handle.url.replace("http", "ws"), http: handle.url, stop: async () => (await handle.shutdown(), 0) };
}

interface Refusal {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The HTTP answer to a handshake the server refuses. */
function refused(url: string, protocols?: string[]): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.once("open", () => reject(new Error("upgraded")));
    ws.once("error", () => undefined);
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => (body += c)).on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
  });
}

function plainGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => request(url, (res) => resolve(res.resume().statusCode!)).on("error", reject).end());
}

describe.each(runtimes)("WebSockets on %s", (runtime) => {
  let served: Served;
  beforeAll(async () => {
    served = await host(runtime);
  });
  afterAll(async () => {
    await served?.stop();
  });

  it("runs the handshake through security and dependencies, then validates and filters messages", async () => {
    const client = await TestWs.open(`${served.ws}/ws/echo/lobby`, ["bearer", "user-ada"]);
    expect(client.ws.protocol).toBe("bearer");
    client.send({ text: "hi" });
    // `extra` is dropped by the send schema; `runtime` says which runtime answered.
    expect(await client.nextJson()).toEqual({ echo: "hi", user: "ada", room: "lobby", runtime });
    client.send({ text: 5 });
    const error = await client.nextJson();
    expect(error.type).toBe("error");
    expect(error.detail[0]).toMatchObject({ loc: ["message", "text"] });
    client.ws.send(Buffer.from([1, 2, 3]));
    expect((await client.nextJson()).detail[0].msg).toMatch(/Binary messages/);
    // The rate limit (5 per minute) is spent: the next message closes with 1008.
    client.send({ text: "a" });
    client.send({ text: "b" });
    client.send({ text: "c" });
    expect(await client.closed).toBe(1008);
  });

  it("refuses bad handshakes over HTTP with FastAPI's bodies, before any upgrade", async () => {
    const none = await refused(`${served.ws}/ws/echo/lobby`);
    expect([none.status, none.headers["www-authenticate"], JSON.parse(none.body)]).toEqual([401, "Bearer", { detail: "Not authenticated" }]);
    expect((await refused(`${served.ws}/ws/echo/lobby`, ["bearer", "banned"])).status).toBe(403);
    const short = await refused(`${served.ws}/ws/echo/x`, ["bearer", "user-ada"]);
    expect(short.status).toBe(422);
    expect(JSON.parse(short.body).detail[0]).toMatchObject({ type: "string_too_short", loc: ["path", "room"] });
    expect((await refused(`${served.ws}/nowhere`)).status).toBe(404);
    const http = await refused(`${served.ws}/plain`);
    expect([http.status, http.headers.allow]).toEqual([405, "GET, HEAD"]);
    expect(await plainGet(`${served.http}/ws/strict`)).toBe(426);
  });

  it("runs the app's onRequest hooks on the handshake: before the dependencies, and a refusal or a throw never upgrades", async () => {
    const client = await TestWs.open(`${served.ws}/ws/hooked`);
    expect(await client.nextJson()).toEqual({ tag: "tagged" });
    client.ws.close();
    const denied = await refused(`${served.ws}/ws/hooked?hook=deny`);
    expect([denied.status, JSON.parse(denied.body)]).toEqual([403, { detail: "Denied by hook" }]);
    const thrown = await refused(`${served.ws}/ws/hooked?hook=throw`);
    expect([thrown.status, JSON.parse(thrown.body)]).toEqual([500, { detail: "Internal Server Error" }]);
  });

  it("closes with 1007 for a message that is not valid, 1003 for binary and 1009 past maxPayload, on a strict route", async () => {
    const client = await TestWs.open(`${served.ws}/ws/strict`);
    client.send({ n: 2 });
    expect(await client.nextJson()).toEqual({ n: 4 });
    client.send("{not json");
    expect(await client.closed).toBe(1007);
    const binary = await TestWs.open(`${served.ws}/ws/strict`);
    binary.ws.send(Buffer.from("{}"));
    expect(await binary.closed).toBe(1003);
    // Past the route's maxPayload (1 KiB; the Bun server's own cap is the largest route's, 64 KiB).
    const big = await TestWs.open(`${served.ws}/ws/strict`);
    big.send({ n: 1, pad: "x".repeat(2000) });
    expect(await big.closed).toBe(1009);
  });

  it("broadcasts to a room, except the sender, and to no other room", async () => {
    const [ada, bob, eve] = await Promise.all([
      TestWs.open(`${served.ws}/ws/rooms/r1?name=ada`),
      TestWs.open(`${served.ws}/ws/rooms/r1?name=bob`),
      TestWs.open(`${served.ws}/ws/rooms/r2?name=eve`),
    ]);
    for (const c of [ada, bob, eve]) expect(await c.nextJson()).toEqual({ type: "ready" });
    ada.send({ text: "hello" });
    expect(await bob.nextJson()).toEqual({ from: "ada", text: "hello" });
    bob.send({ text: "back" });
    expect(await ada.nextJson()).toEqual({ from: "bob", text: "back" });
    expect(await eve.quiet(50)).toEqual([]);
    expect(ada.messages).toEqual([]);
    await Promise.all([ada.close(), bob.close(), eve.close()]);
  });

  it("tells open connections 1001 on shutdown and lets their handlers finish", async () => {
    const own = await host(runtime);
    const client = await TestWs.open(`${own.ws}/ws/linger`);
    const [code, exit] = await Promise.all([client.closed, own.stop()]);
    expect(code).toBe(1001);
    expect(exit).toBe(0);
  });
});

describe.skipIf(bun === null || skipRedis)("a room across two Bun processes over Redis", () => {
  const prefix = testPrefix();
  let a: Served;
  let b: Served;
  beforeAll(async () => {
    [a, b] = await Promise.all([host("bun", { VELOX_WS_REDIS_PREFIX: prefix, REDIS_URL: TEST_REDIS_URL }), host("bun", { VELOX_WS_REDIS_PREFIX: prefix, REDIS_URL: TEST_REDIS_URL })]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  it("delivers a message from a client of one process to a client of the other", async () => {
    const ada = await TestWs.open(`${a.ws}/ws/rooms/lobby?name=ada`);
    const bob = await TestWs.open(`${b.ws}/ws/rooms/lobby?name=bob`);
    expect(await ada.nextJson()).toEqual({ type: "ready" });
    expect(await bob.nextJson()).toEqual({ type: "ready" });
    // Redis SUBSCRIBE completes after the join resolves: send until the other process has subscribed.
    let got: unknown = null;
    for (let i = 0; i < 30 && got === null; i++) {
      ada.send({ text: "across" });
      got = await bob.nextJson(100).catch(() => null);
    }
    expect(got).toEqual({ from: "ada", text: "across" });
    bob.send({ text: "and back" });
    expect(await ada.nextJson()).toEqual({ from: "bob", text: "and back" });
    await Promise.all([ada.close(), bob.close()]);
  });
});
