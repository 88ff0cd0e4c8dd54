/**
 * What happened to an owner's items, published by the item routes and streamed to that owner's
 * open `GET /items/events` connections. In memory, one process's bus; with an `ItemEventRelay`
 * (Redis, `events/redis-item-relay.ts`) every process sees every change and a reconnecting client
 * resumes from `Last-Event-ID` on whichever instance it reaches.
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

/**
 * Carries events between processes: `publish` stores and broadcasts one (the relay assigns its
 * id), the relay calls back `deliver` for every event of every process (this one's included), and
 * `since` reads what a reconnecting client missed.
 */
export interface ItemEventRelay {
  publish(ownerId: number, event: Omit<ItemEvent, "id">): Promise<void>;
  since(ownerId: number, after: string, limit: number): Promise<ItemEvent[]>;
  close(): Promise<void>;
}

/** Options of {@link ItemEvents}. */
export interface ItemEventsOptions {
  /** Shares events across processes; without it the bus is this process's only. */
  relay?: ItemEventRelay;
  /** Where a failed relay publish is reported (the event is then delivered in this process only). */
  onRelayError?: (error: unknown) => void;
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
  private readonly relay: ItemEventRelay | undefined;
  private readonly onRelayError: (error: unknown) => void;

  constructor(options: ItemEventsOptions = {}) {
    this.replay = options.replay ?? 100;
    this.maxQueued = options.maxQueued ?? 256;
    this.relay = options.relay;
    this.onRelayError = options.onRelayError ?? (() => undefined);
  }

  /** Open subscriptions, over all owners. */
  get subscriptions(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  /**
   * Announces a change. Without a relay it is delivered at once; with one it is delivered when the
   * relay brings it back (to every process alike), or here only if the relay fails.
   */
  publish(ownerId: number, type: ItemChange, item: Item | null, itemId = item?.id ?? 0): void {
    const local = (): void => this.deliver(ownerId, { id: `${this.boot}.${++this.sequence}`, type, itemId, item });
    if (this.relay === undefined) return local();
    this.relay.publish(ownerId, { type, itemId, item }).catch((error: unknown) => {
      this.onRelayError(error);
      local();
    });
  }

  /** Hands an event to the owner's subscribers here (the relay calls it for every process's events). */
  deliver(ownerId: number, event: ItemEvent): void {
    let recent = this.recent.get(ownerId);
    if (recent === undefined) this.recent.set(ownerId, (recent = []));
    recent.push(event);
    if (recent.length > this.replay) recent.shift();
    for (const sub of this.subscribers.get(ownerId) ?? []) {
      if (sub.queue.length >= this.maxQueued) sub.overflowed = true;
      else sub.queue.push(event);
      sub.wake?.();
    }
  }

  /**
   * The owner's events from now on (after replaying those newer than `after`, an id from
   * `Last-Event-ID`), until `signal` aborts. The subscription is removed when the iteration ends,
   * whichever way.
   */
  async *subscribe(ownerId: number, options: { signal: AbortSignal; after?: string }): AsyncGenerator<ItemEvent> {
    const { signal } = options;
    const sub: Subscriber = { queue: this.relay === undefined ? this.missed(ownerId, options.after) : [], wake: null, overflowed: false };
    let set = this.subscribers.get(ownerId);
    if (set === undefined) this.subscribers.set(ownerId, (set = new Set()));
    set.add(sub);
    let replayed = new Set<string>();
    const replayedSent = new Set<string>();
    if (this.relay !== undefined && options.after !== undefined) {
      // Subscribed first, then read the backlog: an event published meanwhile is in both, once.
      const missed = await this.relay.since(ownerId, options.after, this.replay).catch((error: unknown) => (this.onRelayError(error), []));
      // The stream's answer and the channel's copy of an event race on two connections: an event
      // replayed here may still arrive live afterwards, and is dropped then.
      replayed = new Set(missed.map((e) => e.id));
      sub.queue = [...missed, ...sub.queue.filter((e) => !replayed.has(e.id))];
    }
    const onAbort = () => sub.wake?.();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      while (!signal.aborted) {
        if (sub.overflowed) throw new SubscriberTooSlowError(this.maxQueued);
        const next = sub.queue.shift();
        if (next !== undefined) {
          if (replayed.has(next.id)) {
            // The first copy is the replayed one; a second is the same event arriving live.
            if (replayedSent.has(next.id)) {
              replayed.delete(next.id);
              continue;
            }
            replayedSent.add(next.id);
          }
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
