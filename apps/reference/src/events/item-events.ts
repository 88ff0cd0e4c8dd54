/**
 * What happened to an owner's items, published by the item routes and streamed to that owner's
 * open `GET /items/events` connections. One process's bus (like the item-list cache): with several
 * workers a client sees the changes made through the worker it is connected to.
 */
import type { Item } from "../repositories/rows.ts";

export type ItemChange = "created" | "updated" | "deleted";

/** One change, with the id a reconnecting client sends back as `Last-Event-ID`. */
export interface ItemEvent {
  id: string;
  type: ItemChange;
  itemId: number;
  /** The item after the change; null when it was deleted. */
  item: Item | null;
}

/** Options of {@link ItemEvents}. */
export interface ItemEventsOptions {
  /** Recent events kept per owner for replay after a reconnect (default 100). */
  replay?: number;
  /** Events a subscriber may fall behind before it is cut off (default 256): a slow client cannot grow memory. */
  maxQueued?: number;
}

/** Raised into a subscription that fell too far behind. */
export class SubscriberTooSlowError extends Error {
  constructor(limit: number) {
    super(`the subscriber fell more than ${limit} events behind`);
    this.name = "SubscriberTooSlowError";
  }
}

interface Subscriber {
  queue: ItemEvent[];
  wake: (() => void) | null;
  overflowed: boolean;
}

/**
 * An in-process publish/subscribe bus of item changes, per owner, with a short replay buffer and
 * bounded subscriber queues.
 *
 * @example
 * ```ts
 * const events = new ItemEvents();
 * events.publish(7, "created", item);
 * for await (const event of events.subscribe(7, { signal, after: lastEventId })) send(event);
 * ```
 */
export class ItemEvents {
  private readonly subscribers = new Map<number, Set<Subscriber>>();
  private readonly recent = new Map<number, ItemEvent[]>();
  /** Ids are `<boot>.<sequence>`: replay only trusts ids of this process's life. */
  private readonly boot = Date.now().toString(36);
  private sequence = 0;
  private readonly replay: number;
  private readonly maxQueued: number;

  constructor(options: ItemEventsOptions = {}) {
    this.replay = options.replay ?? 100;
    this.maxQueued = options.maxQueued ?? 256;
  }

  /** Open subscriptions, over all owners. */
  get subscriptions(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  publish(ownerId: number, type: ItemChange, item: Item | null, itemId = item?.id ?? 0): ItemEvent {
    const event: ItemEvent = { id: `${this.boot}.${++this.sequence}`, type, itemId, item };
    let recent = this.recent.get(ownerId);
    if (recent === undefined) this.recent.set(ownerId, (recent = []));
    recent.push(event);
    if (recent.length > this.replay) recent.shift();
    for (const sub of this.subscribers.get(ownerId) ?? []) {
      if (sub.queue.length >= this.maxQueued) sub.overflowed = true;
      else sub.queue.push(event);
      sub.wake?.();
    }
    return event;
  }

  /**
   * The owner's events from now on (after replaying those newer than `after`, an id from
   * `Last-Event-ID`), until `signal` aborts. The subscription is removed when the iteration ends,
   * whichever way.
   */
  async *subscribe(ownerId: number, options: { signal: AbortSignal; after?: string }): AsyncGenerator<ItemEvent> {
    const { signal } = options;
    const sub: Subscriber = { queue: this.missed(ownerId, options.after), wake: null, overflowed: false };
    let set = this.subscribers.get(ownerId);
    if (set === undefined) this.subscribers.set(ownerId, (set = new Set()));
    set.add(sub);
    const onAbort = () => sub.wake?.();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      while (!signal.aborted) {
        if (sub.overflowed) throw new SubscriberTooSlowError(this.maxQueued);
        const next = sub.queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => (sub.wake = resolve));
        sub.wake = null;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      set.delete(sub);
      if (set.size === 0) this.subscribers.delete(ownerId);
    }
  }

  private missed(ownerId: number, after: string | undefined): ItemEvent[] {
    if (after === undefined) return [];
    const [boot, seq] = after.split(".");
    if (boot !== this.boot || seq === undefined || !/^\d+$/.test(seq)) return [];
    const last = Number(seq);
    return (this.recent.get(ownerId) ?? []).filter((e) => Number(e.id.split(".")[1]) > last);
  }
}
