import type { Logger } from "../logger.ts";
import { silentLogger } from "../logger.ts";
import { BunWebSocket, type BunPublisher } from "../runtime/bun/bun-web-socket.ts";
import type { AnySchema } from "../schema/types.ts";
import type { CloseObserver, WebSocketConnection } from "./connection.ts";
import { prepareFrame, type PreparedFrame } from "./frame.ts";
import { compileCodec, type MessageCodec } from "./message-codec.ts";

/** A change of presence: a user's first connection entered a room, or their last one left it. */
export interface PresenceEvent {
  type: "joined" | "left";
  room: string;
  user: string;
  /** Distinct users in the room after the change. */
  count: number;
  /** True on the process where the change happened (false when it came from another one over the adapter). */
  local: boolean;
}

/** What `join` and `leave` report. */
export interface PresenceChange {
  /** True when this was the user's first connection in the room (join) or their last (leave). */
  changed: boolean;
  /** Distinct users in the room afterwards. */
  count: number;
}

/** A room and its number of distinct users. */
export interface RoomInfo {
  room: string;
  count: number;
}

/**
 * What carries broadcasts and presence between processes. Without one, the hub serves one
 * process. `velox/websocket`'s `RedisHubAdapter` is the one for several workers and instances.
 */
export interface HubAdapter {
  /** Connects (resolving even when the backend is unreachable: it keeps retrying in the background). */
  start(hooks: AdapterHooks): Promise<void>;
  /** True while the adapter reaches its backend (false during an outage: delivery is local only). */
  readonly healthy: boolean;
  publish(channel: HubChannel, target: string, payload: Buffer, except: string | null): void;
  subscribe(channel: HubChannel, target: string): void;
  unsubscribe(channel: HubChannel, target: string): void;
  join(room: string, member: string, user: string): Promise<PresenceChange>;
  leave(room: string, member: string): Promise<PresenceChange & { user: string | null }>;
  members(room: string): Promise<string[]>;
  rooms(): Promise<RoomInfo[]>;
  close(): Promise<void>;
}

/** Where a published message goes: a room, a user's connections, or the presence feed. */
export type HubChannel = "room" | "user" | "presence";

/** How an adapter hands over a message from another process. */
export type RemoteDelivery = (channel: HubChannel, target: string, payload: Buffer, except: string | null) => void;

/** What the hub gives its adapter. */
export interface AdapterHooks {
  /** Called for every message another process published. */
  deliver: RemoteDelivery;
  /** What this process holds (room → member id → user), to re-register after an outage. */
  localMembers(): ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** A presence change the adapter found itself (a dead instance reaped, a resync): emitted and published by the hub. */
  changed(event: Omit<PresenceEvent, "local">, local: boolean): void;
}

/** Options of a {@link Hub}. */
export interface HubOptions {
  /** Carries broadcasts and presence across processes; omitted: this process only. */
  adapter?: HubAdapter;
  /** Validates, filters and serializes every broadcast value (like a route's `send` schema), once per broadcast. */
  message?: AnySchema;
  logger?: Logger;
}

/** Options of one broadcast. */
export interface BroadcastOptions {
  /** A connection (or its id) that must not receive it: usually the sender. */
  except?: WebSocketConnection<any, any> | string;
}

type Conn = WebSocketConnection<any, any>;

/** A room's connections on Bun's native WebSocket: subscribers of one Bun pub/sub topic, by connection id. */
interface Topic {
  name: string;
  server: BunPublisher;
  subscribers: Map<string, Conn>;
}
let hubs = 0;

// Most users have one connection and most connections one room: a value stands alone until a
// second one arrives, instead of a Set per user and per connection (idle connections add up).
type OneOrMany<T> = T | Set<T>;
const isMany = <T>(v: OneOrMany<T>): v is Set<T> => v instanceof Set;
function addTo<K, T>(map: Map<K, OneOrMany<T>>, key: K, value: T): boolean {
  const had = map.get(key);
  if (had === undefined) map.set(key, value);
  else if (isMany(had)) had.add(value);
  else if (had !== value) map.set(key, new Set([had, value]));
  return had === undefined;
}
function removeFrom<K, T>(map: Map<K, OneOrMany<T>>, key: K, value: T): boolean {
  const had = map.get(key);
  if (had === undefined) return false;
  if (isMany(had)) {
    had.delete(value);
    if (had.size === 0) map.delete(key);
  } else if (had === value) map.delete(key);
  return !map.has(key);
}
function valuesOf<T>(v: OneOrMany<T> | undefined): readonly T[] | Set<T> {
  return v === undefined ? [] : isMany(v) ? v : [v];
}

/**
 * Rooms and presence for WebSocket connections, and broadcasts that encode the frame once:
 * `join`/`leave` a room, ask who is in it, listen to joined/left events, `broadcast` to a room or
 * `sendToUser` to every connection of a user. A connection leaves its rooms by itself when it
 * closes. With an adapter (Redis), broadcasts and presence span every worker and instance; when
 * the adapter's backend is gone, local delivery goes on and presence answers from this process
 * until it returns.
 *
 * @example
 * ```ts
 * const hub = new Hub(); // or new Hub({ adapter: new RedisHubAdapter({ url: process.env.REDIS_URL }) })
 * app.ws("/ws/{room}", { path: { room: z.string() } }, async (socket, { path }) => {
 *   await hub.join(path.room, socket, "ada");
 *   for await (const message of socket) hub.broadcast(path.room, { type: "message", message });
 * });
 * ```
 */
export class Hub implements CloseObserver {
  private readonly rooms = new Map<string, Map<Conn, string>>();
  private readonly users = new Map<string, OneOrMany<Conn>>();
  private readonly memberships = new Map<Conn, OneOrMany<string>>();
  private readonly listeners = new Set<(event: PresenceEvent) => void>();
  private readonly adapter: HubAdapter | null;
  private readonly codec: MessageCodec | null;
  private readonly logger: Logger;
  private started: Promise<void> | null = null;
  /** Rooms whose Bun connections are reached by one `server.publish` (Bun's pub/sub, in C++) instead of a loop. */
  private readonly topics = new Map<string, Topic>();
  private readonly topicPrefix = `velox-hub-${++hubs}:`;

  constructor(options: HubOptions = {}) {
    this.adapter = options.adapter ?? null;
    this.codec = options.message ? compileCodec(undefined, options.message) : null;
    this.logger = options.logger ?? silentLogger;
  }

  /** Connects the adapter (called by the first `join`; call it at startup to connect early). */
  start(): Promise<void> {
    this.started ??= this.adapter === null ? Promise.resolve() : this.adapter.start({
      deliver: (c, t, p, e) => this.onRemote(c, t, p, e),
      localMembers: () => this.localMembers(),
      changed: (event, local) => this.emit({ ...event, local }),
    });
    return this.started;
  }

  /** True when broadcasts reach every process (always with no adapter). */
  get healthy(): boolean {
    return this.adapter === null || this.adapter.healthy;
  }

  /**
   * Adds a connection to a room under a user (default: `socket.user`, else the connection id).
   * Resolves with whether the user is new in the room and the room's distinct user count.
   */
  async join(room: string, socket: Conn, user?: string): Promise<PresenceChange> {
    await this.start();
    const who = user ?? socket.user ?? `anonymous:${socket.id}`;
    if (socket.user === null) socket.user = who;
    let members = this.rooms.get(room);
    if (members?.has(socket)) return { changed: false, count: await this.count(room) };
    if (members === undefined) {
      this.rooms.set(room, (members = new Map()));
      this.adapter?.subscribe("room", room);
    }
    members.set(socket, who);
    this.subscribe(room, socket);
    if (addTo(this.users, who, socket)) this.adapter?.subscribe("user", who);
    if (addTo(this.memberships, socket, room)) socket._observe(this);
    const change = await this.presence(() => this.adapter!.join(room, socket.id, who), () => this.localJoinChange(room, who));
    if (change.changed) this.emit({ type: "joined", room, user: who, count: change.count, local: true });
    return change;
  }

  /** Removes a connection from a room; `changed` is true when it was the user's last one there. */
  async leave(room: string, socket: Conn): Promise<PresenceChange> {
    const members = this.rooms.get(room);
    const who = members?.get(socket);
    if (members === undefined || who === undefined) return { changed: false, count: await this.count(room) };
    members.delete(socket);
    this.unsubscribe(room, socket);
    if (members.size === 0) {
      this.rooms.delete(room);
      this.adapter?.unsubscribe("room", room);
    }
    if (removeFrom(this.memberships, socket, room)) this.forgetUser(socket, who);
    const change = await this.presence(() => this.adapter!.leave(room, socket.id), () => this.localLeaveChange(room, who));
    if (change.changed) this.emit({ type: "left", room, user: who, count: change.count, local: true });
    return change;
  }

  /** The rooms a connection is in. */
  roomsOf(socket: Conn): string[] {
    return [...valuesOf(this.memberships.get(socket))];
  }

  /** The distinct users in a room (across processes with an adapter), sorted. */
  async members(room: string): Promise<string[]> {
    if (this.adapter !== null && this.adapter.healthy) {
      try {
        return (await this.adapter.members(room)).sort();
      } catch (err) {
        this.logger.warn({ err, room }, "websocket hub: presence read failed; answering from this process");
      }
    }
    return [...new Set(this.rooms.get(room)?.values() ?? [])].sort();
  }

  /** The number of distinct users in a room. */
  async count(room: string): Promise<number> {
    return (await this.members(room)).length;
  }

  /** Every room with at least one member, with its distinct user count, sorted by name. */
  async roomList(): Promise<RoomInfo[]> {
    if (this.adapter !== null && this.adapter.healthy) {
      try {
        return (await this.adapter.rooms()).sort((a, b) => (a.room < b.room ? -1 : a.room > b.room ? 1 : 0));
      } catch (err) {
        this.logger.warn({ err }, "websocket hub: room list read failed; answering from this process");
      }
    }
    return [...this.rooms].map(([room, m]) => ({ room, count: new Set(m.values()).size })).sort((a, b) => (a.room < b.room ? -1 : 1));
  }

  /** Calls `listener` on every presence change (on every process); returns the unsubscribe function. */
  onPresence(listener: (event: PresenceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Sends a message to every connection in a room, on every process: validated and serialized
   * once (by the hub's `message` schema when it has one), framed once, and the same bytes written
   * to each socket. Returns the number of local connections it was written to.
   */
  broadcast(room: string, message: unknown, options: BroadcastOptions = {}): number | Promise<number> {
    const except = options.except === undefined ? null : typeof options.except === "string" ? options.except : options.except.id;
    const encoded = this.encode(message);
    if (encoded instanceof Promise) return encoded.then((p) => this.fanOut("room", room, p, except));
    return this.fanOut("room", room, encoded, except);
  }

  /** Sends a message to every connection of a user, on every process. Returns the local count. */
  sendToUser(user: string, message: unknown): number | Promise<number> {
    const encoded = this.encode(message);
    if (encoded instanceof Promise) return encoded.then((p) => this.fanOut("user", user, p, null));
    return this.fanOut("user", user, encoded, null);
  }

  /** Disconnects the adapter. Local rooms stay as they are. */
  async close(): Promise<void> {
    await this.adapter?.close();
  }

  /**
   * A `velox/server` readiness check (not critical: a hub without its adapter still serves this
   * process, so it reports `degraded` rather than taking the instance out of rotation).
   */
  readinessCheck(name = "websocket-hub"): { name: string; critical: false; check: () => boolean } {
    return { name, critical: false, check: () => this.healthy };
  }

  private encode(message: unknown): Buffer | Promise<Buffer> {
    if (Buffer.isBuffer(message)) return message;
    if (this.codec === null) return Buffer.from(typeof message === "string" ? message : (JSON.stringify(message) ?? "null"));
    const out = this.codec.encode(message);
    const toBuffer = (v: string | Buffer) => (typeof v === "string" ? Buffer.from(v) : v);
    return out instanceof Promise ? out.then(toBuffer) : toBuffer(out);
  }

  private fanOut(channel: "room" | "user", target: string, payload: Buffer, except: string | null): number {
    const delivered = this.deliverLocal(channel, target, prepareFrame(payload), except);
    this.adapter?.publish(channel, target, payload, except);
    return delivered;
  }

  private deliverLocal(channel: "room" | "user", target: string, frame: PreparedFrame, except: string | null): number {
    const topic = channel === "room" ? this.topics.get(target) : undefined;
    if (topic !== undefined) return this.publishLocal(topic, this.rooms.get(target)!, frame, except);
    const sockets = channel === "room" ? this.rooms.get(target)?.keys() : valuesOf(this.users.get(target));
    if (sockets === undefined) return 0;
    let n = 0;
    for (const socket of sockets) if (socket.id !== except && socket._writeFrame(frame)) n++;
    return n;
  }

  /** A room with Bun connections: one publish to the topic (from the excluded socket, which Bun then skips), a loop for the rest. */
  private publishLocal(topic: Topic, members: Map<Conn, string>, frame: PreparedFrame, except: string | null): number {
    const data = frame.binary ? frame.payload : frame.payload.toString("utf8");
    const skip = except === null ? undefined : topic.subscribers.get(except);
    const from = skip?.raw as unknown as BunWebSocket | undefined;
    if (from !== undefined && from.readyState === 1) from.publish(topic.name, data);
    else topic.server.publish(topic.name, data);
    let n = topic.subscribers.size - (skip === undefined ? 0 : 1);
    if (members.size > topic.subscribers.size) {
      for (const socket of members.keys()) if (topic.subscribers.get(socket.id) !== socket && socket.id !== except && socket._writeFrame(frame)) n++;
    }
    return n;
  }

  private subscribe(room: string, socket: Conn): void {
    const raw: unknown = socket.raw;
    if (!(raw instanceof BunWebSocket)) return;
    let topic = this.topics.get(room);
    if (topic === undefined) this.topics.set(room, (topic = { name: this.topicPrefix + room, server: raw.server, subscribers: new Map() }));
    // A topic belongs to one Bun server; a connection of another one is written to directly.
    if (topic.server !== raw.server) return;
    raw.subscribe(topic.name);
    topic.subscribers.set(socket.id, socket);
  }

  private unsubscribe(room: string, socket: Conn): void {
    const topic = this.topics.get(room);
    if (topic === undefined || topic.subscribers.get(socket.id) !== socket) return;
    topic.subscribers.delete(socket.id);
    (socket.raw as unknown as BunWebSocket).unsubscribe(topic.name);
    if (topic.subscribers.size === 0) this.topics.delete(room);
  }

  private onRemote(channel: HubChannel, target: string, payload: Buffer, except: string | null): void {
    if (channel === "presence") {
      let event: PresenceEvent;
      try {
        event = { ...(JSON.parse(payload.toString("utf8")) as Omit<PresenceEvent, "local">), local: false };
      } catch {
        return;
      }
      this.emit(event, false);
      return;
    }
    this.deliverLocal(channel, target, prepareFrame(payload), except);
  }

  private emit(event: PresenceEvent, publish = true): void {
    if (publish) this.adapter?.publish("presence", "", Buffer.from(JSON.stringify({ type: event.type, room: event.room, user: event.user, count: event.count })), null);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error({ err }, "websocket hub: presence listener failed");
      }
    }
  }

  /** Presence through the adapter, or from this process when there is none or it is down. */
  private async presence(remote: () => Promise<PresenceChange>, local: () => PresenceChange): Promise<PresenceChange> {
    if (this.adapter === null || !this.adapter.healthy) return local();
    try {
      return await remote();
    } catch (err) {
      this.logger.warn({ err }, "websocket hub: presence update failed; it will be resynced when the adapter is back");
      return local();
    }
  }

  private localJoinChange(room: string, user: string): PresenceChange {
    const members = this.rooms.get(room);
    let same = 0;
    for (const u of members?.values() ?? []) if (u === user) same++;
    return { changed: same === 1, count: new Set(members?.values() ?? []).size };
  }

  private localLeaveChange(room: string, user: string): PresenceChange {
    const members = this.rooms.get(room);
    const still = members !== undefined && [...members.values()].includes(user);
    return { changed: !still, count: new Set(members?.values() ?? []).size };
  }

  private forgetUser(socket: Conn, user: string): void {
    if (removeFrom(this.users, user, socket)) this.adapter?.unsubscribe("user", user);
  }

  /** @internal A connection closed: it leaves every room it was in. */
  connectionClosed(socket: Conn): void {
    void this.leaveAll(socket);
  }

  private async leaveAll(socket: Conn): Promise<void> {
    for (const room of [...valuesOf(this.memberships.get(socket))]) {
      try {
        await this.leave(room, socket);
      } catch (err) {
        this.logger.error({ err, room }, "websocket hub: leaving a room on close failed");
      }
    }
    this.memberships.delete(socket);
  }

  private localMembers(): Map<string, Map<string, string>> {
    const out = new Map<string, Map<string, string>>();
    for (const [room, members] of this.rooms) out.set(room, new Map([...members].map(([s, u]) => [s.id, u])));
    return out;
  }
}
