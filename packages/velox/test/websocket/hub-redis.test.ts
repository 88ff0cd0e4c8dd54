import { afterEach, describe, expect, it } from "vitest";
import { Hub, type PresenceEvent } from "../../src/websocket/hub.ts";
import { RedisHubAdapter } from "../../src/websocket/redis-adapter.ts";
import type { EngineServer } from "./engine-server.ts";
import { eventually, serveHub } from "./hub-helpers.ts";
import { deletePrefix, skipRedis, testPrefix, TEST_REDIS_URL } from "./redis-helpers.ts";
import type { TestWs } from "./ws-client.ts";

// Two hubs with their own Redis connections stand for two instances (or two workers): they share
// nothing but the Redis server and the prefix.

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function instance(prefix: string, options: { heartbeatMs?: number; instanceTtlMs?: number } = {}) {
  const adapter = new RedisHubAdapter({ url: TEST_REDIS_URL, prefix, ...options });
  const hub = new Hub({ adapter });
  await hub.start();
  const served = await serveHub(hub);
  const clients: TestWs[] = [];
  cleanups.push(async () => {
    for (const c of clients) c.ws.terminate();
    await served.close();
    await hub.close();
  });
  return {
    hub,
    adapter,
    served: served as EngineServer,
    async connect(room: string, user: string) {
      const c = await served.connect(room, user);
      clients.push(c);
      return c;
    },
  };
}

describe.skipIf(skipRedis)("Hub over Redis: broadcasts and presence across instances", () => {
  function newPrefix() {
    const prefix = testPrefix();
    cleanups.unshift(() => deletePrefix(TEST_REDIS_URL, prefix));
    return prefix;
  }

  it("a broadcast on one instance reaches the room's clients on the other, once each", async () => {
    const prefix = newPrefix();
    const a = await instance(prefix);
    const b = await instance(prefix);
    const ada = await a.connect("lobby", "ada");
    const bob = await b.connect("lobby", "bob");
    const cy = await a.connect("lobby", "cy");
    const out = await b.connect("elsewhere", "out");
    ada.send({ text: "hello" });
    expect(await bob.nextJson()).toEqual({ from: "ada", text: "hello" });
    expect(await cy.nextJson()).toEqual({ from: "ada", text: "hello" });
    expect(await ada.quiet(150)).toEqual([]);
    expect(await bob.quiet(0)).toEqual([]);
    expect(await out.quiet(0)).toEqual([]);
  });

  it("presence spans instances: members, counts, room list, and joined/left events everywhere", async () => {
    const prefix = newPrefix();
    const a = await instance(prefix);
    const b = await instance(prefix);
    const seenOnB: PresenceEvent[] = [];
    b.hub.onPresence((e) => seenOnB.push(e));
    const ada = await a.connect("r1", "ada");
    await b.connect("r1", "bob");
    await b.connect("r1", "ada"); // a second connection of ada, on the other instance
    await b.connect("r2", "cy");
    expect(await a.hub.members("r1")).toEqual(["ada", "bob"]);
    expect(await b.hub.count("r1")).toBe(2);
    expect(await a.hub.roomList()).toEqual([{ room: "r1", count: 2 }, { room: "r2", count: 1 }]);
    await eventually(() => seenOnB.some((e) => e.user === "ada" && e.type === "joined" && !e.local), 2000, "remote joined event");
    ada.ws.terminate();
    await eventually(async () => (await b.hub.members("r1")).length === 2, 2000, "ada still present through her other connection");
    expect(seenOnB.filter((e) => e.type === "left")).toEqual([]);
  });

  it("sendToUser reaches the user's connections on every instance", async () => {
    const prefix = newPrefix();
    const a = await instance(prefix);
    const b = await instance(prefix);
    const ada = await a.connect("x", "ada");
    const bob1 = await a.connect("x", "bob");
    const bob2 = await b.connect("y", "bob");
    ada.send({ to: "bob", text: "psst" });
    expect(await bob1.nextJson()).toEqual({ from: "ada", text: "psst" });
    expect(await bob2.nextJson()).toEqual({ from: "ada", text: "psst" });
  });

  it("an instance that stops heartbeating is reaped: its members leave and a left event is reported", async () => {
    const prefix = newPrefix();
    const a = await instance(prefix, { heartbeatMs: 100, instanceTtlMs: 400 });
    const b = await instance(prefix, { heartbeatMs: 100, instanceTtlMs: 400 });
    const left: PresenceEvent[] = [];
    a.hub.onPresence((e) => e.type === "left" && left.push(e));
    await a.connect("r", "ada");
    await b.connect("r", "ghost");
    expect(await a.hub.members("r")).toEqual(["ada", "ghost"]);
    // b's process "crashes": its Redis connections drop without a goodbye and it stops beating.
    (b.adapter as unknown as { heartbeat: NodeJS.Timeout }).heartbeat.close();
    (b.adapter as unknown as { pub: { disconnect(): void } }).pub.disconnect();
    (b.adapter as unknown as { sub: { disconnect(): void } }).sub.disconnect();
    await eventually(async () => (await a.hub.members("r")).join() === "ada", 3000, "ghost reaped");
    expect(left).toEqual([{ type: "left", room: "r", user: "ghost", count: 1, local: true }]);
  });

  it("close() removes this instance's members at once", async () => {
    const prefix = newPrefix();
    const a = await instance(prefix);
    const adapter = new RedisHubAdapter({ url: TEST_REDIS_URL, prefix });
    const hub = new Hub({ adapter });
    const served = await serveHub(hub);
    const c = await served.connect("r", "temp");
    await a.connect("r", "stay");
    expect(await a.hub.members("r")).toEqual(["stay", "temp"]);
    await hub.close();
    expect(await a.hub.members("r")).toEqual(["stay"]);
    c.ws.terminate();
    await served.close();
  });

  it("what one turn publishes goes out batched, and arrives complete and in order, presence and other rooms interleaved", async () => {
    const prefix = newPrefix();
    const a = await instance(prefix);
    const b = await instance(prefix);
    const bob = await b.connect("r1", "bob");
    const eve = await b.connect("r2", "eve");
    const seen: string[] = [];
    b.hub.onPresence((e) => void seen.push(`${e.type} ${e.user}`));
    const ada = await a.connect("r1", "ada");
    await eventually(() => seen.includes("joined ada"), 3000, "ada's join on b");
    const { Redis } = await import("ioredis");
    const spy = new Redis(TEST_REDIS_URL);
    cleanups.push(async () => void spy.disconnect());
    const redisMessages: number[] = [];
    spy.on("messageBuffer", (_channel: Buffer, message: Buffer) => void redisMessages.push(message.length));
    await spy.subscribe(`${prefix}:r:r1`);
    // One event-loop turn: 200 messages to r1 with one to r2 in the middle, and a user message.
    for (let i = 0; i < 200; i++) {
      a.hub.broadcast("r1", { n: i });
      if (i === 100) a.hub.broadcast("r2", { n: "r2" });
    }
    a.hub.sendToUser("bob", { n: "direct" });
    const got: unknown[] = [];
    for (let i = 0; i < 201; i++) got.push((await bob.nextJson()).n);
    expect(got).toEqual([...Array.from({ length: 200 }, (_, i) => i), "direct"]);
    expect(await eve.nextJson()).toEqual({ n: "r2" });
    // The publisher's own clients got them locally, once each (not again from Redis).
    const own: unknown[] = [];
    for (let i = 0; i < 200; i++) own.push((await ada.nextJson()).n);
    expect(own).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(await ada.quiet(150)).toEqual([]);
    // Two Redis messages carried r1's 200: the run before the r2 message and the run after it.
    expect(redisMessages.length).toBe(2);
  });

  it("a malformed batch published by someone else on the channel delivers what parses and crashes nothing", async () => {
    const prefix = newPrefix();
    const b = await instance(prefix);
    const bob = await b.connect("r1", "bob");
    const { Redis } = await import("ioredis");
    const raw = new Redis(TEST_REDIS_URL);
    cleanups.push(async () => void raw.disconnect());
    const channel = `${prefix}:r:r1`;
    const entry = (text: string, length = Buffer.byteLength(text)) => `\n${length}\n${text}`;
    await raw.publish(channel, `other-1\n*\n${entry('{"n":1}')}${entry('{"n":2}', 9999)}`); // 2nd overruns
    await raw.publish(channel, `other-1\n*\n${entry('{"n":3}')}\n-5\nxx`); // negative length
    await raw.publish(channel, `other-1\n*\n\n\n{"n":4}`); // empty length
    await raw.publish(channel, "no newline at all");
    await raw.publish(channel, 'other-1\n\n{"n":5}'); // a single message
    expect([(await bob.nextJson()).n, (await bob.nextJson()).n, (await bob.nextJson()).n]).toEqual([1, 3, 5]);
    expect(await bob.quiet(100)).toEqual([]);
  });
});
