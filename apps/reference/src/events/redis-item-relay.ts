/**
 * Item events across processes and instances over Redis: each owner's events go to a capped
 * stream (`XADD … MAXLEN ~`, whose ids are the SSE ids, valid on every instance) and are announced
 * on one pub/sub channel that every process listens to. A client reconnecting with
 * `Last-Event-ID` to another instance reads what it missed with `XRANGE`.
 */
import type { Redis } from "ioredis";
import type { Item } from "../repositories/rows.ts";
import type { ItemEvent, ItemEventRelay } from "./item-events.ts";

/** XADD and PUBLISH as one step, so subscribers learn the id the stream gave the event. */
const PUBLISH = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
redis.call('PUBLISH', KEYS[2], ARGV[3] .. ' ' .. id .. ' ' .. ARGV[2])
return id`;

/** Stream ids are `<ms>-<seq>`; anything else (an id of the in-memory bus, garbage) replays nothing. */
const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

type Wire = { type: ItemEvent["type"]; itemId: number; item: (Omit<Item, "createdAt"> & { createdAt: string }) | null };

function decode(id: string, text: string): ItemEvent {
  const wire = JSON.parse(text) as Wire;
  return { id, type: wire.type, itemId: wire.itemId, item: wire.item === null ? null : { ...wire.item, createdAt: new Date(wire.item.createdAt) } };
}

/** Options of {@link connectRedisItemRelay}. */
export interface RedisItemRelayOptions {
  url: string;
  /** Key and channel prefix (one per deployment sharing a Redis). */
  prefix: string;
  /** Events kept per owner for replay. */
  keep: number;
  /** Called with every event of every process. */
  deliver: (ownerId: number, event: ItemEvent) => void;
  onError: (error: unknown) => void;
}

/**
 * Connects the relay: one command connection and one subscriber connection per process. It does not
 * wait for Redis: until it answers, publishing fails and `ItemEvents` delivers in this process only.
 *
 * @example
 * ```ts
 * const bus: { events?: ItemEvents } = {};
 * const relay = await connectRedisItemRelay({ url, prefix, keep: 100, deliver: (o, e) => bus.events?.deliver(o, e), onError });
 * bus.events = new ItemEvents({ relay });
 * ```
 */
export async function connectRedisItemRelay(options: RedisItemRelayOptions): Promise<ItemEventRelay> {
  const { Redis: RedisClient } = await import("ioredis");
  const channel = `${options.prefix}:item-events`;
  const streamKey = (ownerId: number) => `${options.prefix}:item-events:${ownerId}`;
  // Commands fail fast while Redis is away (the event is then delivered locally only).
  const connection = { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 };
  const commands: Redis = new RedisClient(options.url, connection);
  const subscriber: Redis = new RedisClient(options.url, { ...connection, enableOfflineQueue: true });
  commands.on("error", options.onError);
  subscriber.on("error", options.onError);
  subscriber.on("message", (_channel: string, message: string) => {
    const first = message.indexOf(" ");
    const second = message.indexOf(" ", first + 1);
    try {
      options.deliver(Number(message.slice(0, first)), decode(message.slice(first + 1, second), message.slice(second + 1)));
    } catch (error) {
      options.onError(error);
    }
  });
  // Not awaited: a Redis that is down at start must not stop the app from serving (ioredis
  // subscribes once it connects, and again after every reconnect).
  subscriber.subscribe(channel).catch(options.onError);

  return {
    async publish(ownerId, event) {
      const wire = JSON.stringify({ type: event.type, itemId: event.itemId, item: event.item });
      await commands.eval(PUBLISH, 2, streamKey(ownerId), channel, String(options.keep), wire, String(ownerId));
    },
    async since(ownerId, after, limit) {
      if (!STREAM_ID.test(after)) return [];
      const entries = (await commands.xrange(streamKey(ownerId), `(${after}`, "+", "COUNT", limit)) as Array<[string, string[]]>;
      return entries.map(([id, fields]) => decode(id, fields[1]!));
    },
    async close() {
      // disconnect, not quit: quit waits for a Redis that may never come back.
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}
