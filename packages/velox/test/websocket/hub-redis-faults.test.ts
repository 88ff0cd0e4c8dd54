import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "../../src/logger.ts";
import { Hub } from "../../src/websocket/hub.ts";
import { RedisHubAdapter } from "../../src/websocket/redis-adapter.ts";
import { eventually, serveHub } from "./hub-helpers.ts";
import { OwnRedis, skipOwnRedis } from "./redis-helpers.ts";
import type { TestWs } from "./ws-client.ts";

// Redis goes away under two instances and comes back: on a redis-server of this test's own.

function recordingLogger(lines: string[]): Logger {
  const log = (level: string) => (_obj: object, msg?: string) => void lines.push(`${level}: ${msg ?? ""}`);
  return { error: log("error"), warn: log("warn"), info: log("info"), debug: () => undefined };
}

describe.skipIf(skipOwnRedis)("Hub over Redis: Redis stopped and restarted", () => {
  let redis: OwnRedis;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    redis = await OwnRedis.start();
  });

  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    await redis.stop();
  });

  async function instance(logs: string[]) {
    const adapter = new RedisHubAdapter({ url: redis.url, prefix: "faults", retry: { baseMs: 50, maxMs: 300 }, heartbeatMs: 200, logger: recordingLogger(logs) });
    const hub = new Hub({ adapter });
    await hub.start();
    const served = await serveHub(hub);
    const clients: TestWs[] = [];
    closers.push(async () => {
      for (const c of clients) c.ws.terminate();
      await served.close();
      await hub.close();
    });
    return {
      hub,
      async connect(room: string, user: string) {
        const c = await served.connect(room, user);
        clients.push(c);
        return c;
      },
    };
  }

  it("local delivery goes on, the outage shows in health and logs, and everything recovers", async () => {
    const logsA: string[] = [];
    const a = await instance(logsA);
    const b = await instance([]);
    const ada = await a.connect("r", "ada");
    const amy = await a.connect("r", "amy");
    const bob = await b.connect("r", "bob");
    ada.send({ text: "before" });
    expect(await amy.nextJson()).toEqual({ from: "ada", text: "before" });
    expect(await bob.nextJson()).toEqual({ from: "ada", text: "before" });

    await redis.stop();
    await eventually(() => !a.hub.healthy, 3000, "hub unhealthy");
    expect(a.hub.readinessCheck().check()).toBe(false);
    expect(logsA.some((l) => l.startsWith("warn: websocket hub: redis connection lost"))).toBe(true);

    // Same instance: still delivered. Other instance: not reachable, and nothing throws.
    ada.send({ text: "during" });
    expect(await amy.nextJson()).toEqual({ from: "ada", text: "during" });
    expect(await bob.quiet(150)).toEqual([]);
    // Joins and presence keep working from what this process knows.
    const late = await a.connect("r", "late");
    expect(await a.hub.members("r")).toEqual(["ada", "amy", "late"]);
    ada.send({ text: "to late" });
    expect(await late.nextJson()).toEqual({ from: "ada", text: "to late" });
    expect(await amy.nextJson()).toEqual({ from: "ada", text: "to late" });

    await redis.start();
    await eventually(() => a.hub.healthy && b.hub.healthy, 5000, "hubs healthy again");
    expect(a.hub.readinessCheck().check()).toBe(true);
    expect(logsA.some((l) => l.startsWith("info: websocket hub: redis connection restored"))).toBe(true);
    // The restarted Redis was empty: presence is re-registered by each instance.
    await eventually(async () => (await b.hub.members("r")).join() === "ada,amy,bob,late", 5000, "presence resynced");
    // Subscriptions are back: cross-instance delivery works again, in both directions.
    await eventually(async () => {
      ada.send({ text: "after" });
      const got = await bob.next(300).catch(() => null);
      return got !== null;
    }, 5000, "cross-instance delivery restored");
    bob.send({ text: "back" });
    expect((await late.quiet(300)).map((m) => JSON.parse(m))).toContainEqual({ from: "bob", text: "back" });
  });
});
