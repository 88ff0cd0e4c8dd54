import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import type { Item } from "../repositories/rows.ts";
import { deleteRedisPrefix, redisForTests } from "../testing/redis.ts";
import { ItemEvents, type ItemEvent } from "./item-events.ts";
import { connectRedisItemRelay } from "./redis-item-relay.ts";

const redis = await redisForTests();
const item = (id: number): Item => ({ id, ownerId: 7, title: `item ${id}`, description: null, price: 1.5, views: 0, createdAt: new Date("2026-01-02T03:04:05.000Z") });

async function bus(prefix: string): Promise<ItemEvents> {
  const bus: { events?: ItemEvents } = {};
  const relay = await connectRedisItemRelay({ url: redis.url, prefix, keep: 100, deliver: (o, e) => bus.events?.deliver(o, e), onError: () => undefined });
  bus.events = new ItemEvents({ relay });
  closers.push(() => relay.close());
  return bus.events;
}

async function take(iterator: AsyncGenerator<ItemEvent>, n: number): Promise<ItemEvent[]> {
  const out: ItemEvent[] = [];
  while (out.length < n) {
    const next = await iterator.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

const closers: Array<() => Promise<void>> = [];
const prefix = `velox-test:item-events:${randomBytes(6).toString("hex")}`;
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  if (!redis.skip) await deleteRedisPrefix(redis.url, prefix);
});

describe.skipIf(redis.skip)("item events over Redis (two processes' buses on one Redis)", () => {
  it("delivers a change made on one bus to the other's subscriber, and resumes there from Last-Event-ID", async () => {
    const [a, b] = [await bus(prefix), await bus(prefix)];
    await new Promise((r) => setTimeout(r, 100)); // both subscribed
    const abort = new AbortController();
    const onB = b.subscribe(7, { signal: abort.signal });
    const first = take(onB, 2);
    a.publish(7, "created", item(1));
    a.publish(7, "updated", item(1));
    const seen = await first;
    expect(seen.map((e) => e.type)).toEqual(["created", "updated"]);
    expect(seen[0]!.id).toMatch(/^\d+-\d+$/);
    expect(seen[0]!.item).toEqual(item(1)); // dates survive the trip
    abort.abort();

    // Missed while disconnected, replayed on the other bus after the last id received.
    a.publish(7, "created", item(2));
    a.publish(7, "deleted", null, 1);
    const resumed = new AbortController();
    const replay = await take(b.subscribe(7, { signal: resumed.signal, after: seen[1]!.id }), 2);
    expect(replay.map((e) => [e.type, e.itemId])).toEqual([["created", 2], ["deleted", 1]]);
    resumed.abort();
  });

  it("replays nothing for an id that is not a stream id", async () => {
    const a = await bus(prefix);
    const abort = new AbortController();
    const sub = a.subscribe(7, { signal: abort.signal, after: "lq3x.5" });
    const next = sub.next();
    await new Promise((r) => setTimeout(r, 50));
    a.publish(7, "created", item(9));
    expect((await next).value).toMatchObject({ type: "created", itemId: 9 });
    abort.abort();
  });
});

describe("item events when Redis is away", () => {
  it("deliver in this process, report the error, and replay nothing instead of failing", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve)); // nothing listens there now
    const errors: unknown[] = [];
    const bus: { events?: ItemEvents } = {};
    const relay = await connectRedisItemRelay({ url: `redis://127.0.0.1:${port}`, prefix: "unused", keep: 10, deliver: (o, e) => bus.events?.deliver(o, e), onError: (e) => errors.push(e) });
    bus.events = new ItemEvents({ relay, onRelayError: (e) => errors.push(e) });
    try {
      const abort = new AbortController();
      const sub = bus.events.subscribe(7, { signal: abort.signal, after: "1-1" });
      const next = sub.next();
      bus.events.publish(7, "created", item(3));
      expect((await next).value).toMatchObject({ type: "created", itemId: 3 });
      expect(errors.length).toBeGreaterThan(0);
      abort.abort();
    } finally {
      await relay.close();
    }
  });
});
