import { randomUUID } from "node:crypto";
import type { Redis as RedisClient } from "ioredis";
import type { Logger } from "../logger.ts";
import { silentLogger } from "../logger.ts";
import type { AdapterHooks, HubAdapter, HubChannel, PresenceChange, RoomInfo } from "./hub.ts";
import { JOIN, LEAVE, REAP, ROOMS } from "./redis-scripts.ts";

/** Options of a {@link RedisHubAdapter}. */
export interface RedisHubAdapterOptions {
  /** `redis://host:port/db`; default `REDIS_URL`, else `redis://127.0.0.1:6379`. */
  url?: string;
  /** Prefix of every key and channel (default `velox:ws`): one per app sharing a Redis. */
  prefix?: string;
  /** How often this instance says it is alive (default 5 s). */
  heartbeatMs?: number;
  /** After how long without a heartbeat an instance's members are removed (default 15 s). */
  instanceTtlMs?: number;
  /** Reconnection backoff: doubling from `baseMs` up to `maxMs`, with jitter (default 100 ms … 5 s). */
  retry?: { baseMs: number; maxMs: number };
  /** A command that gets no answer within this time fails (default 1 s), so a black-holed Redis cannot stall a join. */
  commandTimeoutMs?: number;
  logger?: Logger;
  /** Passed to ioredis as is (TLS, password, ...). */
  redisOptions?: Record<string, unknown>;
}

interface Commands {
  veloxJoin(room: string, users: string, rooms: string, inst: string, member: string, user: string, roomName: string): Promise<[number, number]>;
  veloxLeave(room: string, users: string, rooms: string, member: string, roomName: string): Promise<[number, number, string | null]>;
  veloxReap(prefix: string, id: string): Promise<(string | number)[]>;
  veloxRooms(prefix: string): Promise<(string | number)[]>;
}

type Client = RedisClient & Commands;

const NL = 10;
/** The `except` field of a message that carries several: `*` is never a connection id (base 36). */
const BATCH = "*";

/** Consecutive messages of one event-loop turn to one Redis channel. */
interface Pending {
  name: string;
  except: (string | null)[];
  payloads: Buffer[];
}

/**
 * Carries a {@link Hub}'s broadcasts and presence over Redis, so they span node:cluster workers
 * and separate instances: pub/sub for messages (one channel per room and per user, subscribed
 * only while this process has members there), hashes updated by Lua scripts for presence, and a
 * heartbeat per instance so the members of a crashed one are removed. The payload is published
 * already serialized and framed again once per receiving process. What one event-loop turn
 * publishes to a channel goes out as one Redis message (and the turn's channels in one write):
 * at thousands of messages per second Redis, the subscriber connections and the receiving
 * processes handle a batch instead of each message.
 *
 * When Redis goes away nothing throws: publishes are dropped (pub/sub has no memory — messages
 * published during an outage reach this process's clients only), presence answers from this
 * process, the connection is retried with backoff, `healthy` is false (readiness reports
 * `degraded`) and the outage and the recovery are logged. Back, it resubscribes and re-registers
 * this process's members.
 *
 * @example
 * ```ts
 * const hub = new Hub({ adapter: new RedisHubAdapter({ url: process.env.REDIS_URL, logger: app.logger }) });
 * app.addHook("onClose", () => hub.close());
 * ```
 */
export class RedisHubAdapter implements HubAdapter {
  /** This process's id among the instances sharing the prefix. */
  readonly instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly prefix: string;
  private readonly options: RedisHubAdapterOptions;
  private readonly logger: Logger;
  private pub: Client | null = null;
  private sub: Client | null = null;
  private hooks: AdapterHooks | null = null;
  private readonly wanted = new Set<string>();
  private heartbeat: NodeJS.Timeout | null = null;
  private up = false;
  private everUp = false;
  private closing = false;
  private pending: Pending[] | null = null;

  constructor(options: RedisHubAdapterOptions = {}) {
    this.options = options;
    this.prefix = options.prefix ?? "velox:ws";
    this.logger = options.logger ?? silentLogger;
  }

  get healthy(): boolean {
    return this.pub?.status === "ready" && this.sub?.status === "ready";
  }

  async start(hooks: AdapterHooks): Promise<void> {
    this.hooks = hooks;
    let Redis: typeof import("ioredis").Redis;
    try {
      ({ Redis } = await import("ioredis"));
    } catch {
      throw new Error('RedisHubAdapter needs the "ioredis" package: npm install ioredis');
    }
    const { baseMs, maxMs } = this.options.retry ?? { baseMs: 100, maxMs: 5_000 };
    const common = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: this.options.commandTimeoutMs ?? 1_000,
      connectTimeout: 2_000,
      retryStrategy: (times: number) => Math.round(Math.min(maxMs, baseMs * 2 ** Math.min(times, 16)) * (0.5 + Math.random() / 2)),
      ...this.options.redisOptions,
    };
    const url = this.options.url ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
    this.pub = new Redis(url, { ...common, connectionName: `velox-ws-pub-${this.instanceId}` }) as Client;
    this.sub = new Redis(url, { ...common, autoResubscribe: false, connectionName: `velox-ws-sub-${this.instanceId}` }) as Client;
    this.pub.defineCommand("veloxJoin", { numberOfKeys: 4, lua: JOIN });
    this.pub.defineCommand("veloxLeave", { numberOfKeys: 3, lua: LEAVE });
    this.pub.defineCommand("veloxReap", { numberOfKeys: 0, lua: REAP });
    this.pub.defineCommand("veloxRooms", { numberOfKeys: 0, lua: ROOMS });
    for (const client of [this.pub, this.sub]) {
      client.on("ready", () => this.onReady());
      client.on("close", () => this.onDown());
      client.on("error", (err: Error) => this.logger.debug?.({ err }, "websocket hub: redis error"));
    }
    this.sub.on("messageBuffer", (channel: Buffer, message: Buffer) => this.onMessage(channel.toString("utf8"), message));
    const ready = Promise.all([this.pub, this.sub].map((c) => new Promise<void>((resolve) => (c.status === "ready" ? resolve() : c.once("ready", () => resolve())))));
    const timedOut = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 2_000).unref());
    if ((await Promise.race([ready, timedOut])) === "timeout") {
      this.logger.warn({ url: redact(url) }, "websocket hub: redis unreachable at start; delivering locally and retrying");
    }
    const interval = this.options.heartbeatMs ?? 5_000;
    this.heartbeat = setInterval(() => void this.beat(), interval);
    this.heartbeat.unref();
  }

  publish(channel: HubChannel, target: string, payload: Buffer, except: string | null): void {
    const pub = this.pub;
    if (pub === null || pub.status !== "ready") return;
    let pending = this.pending;
    if (pending === null) {
      pending = this.pending = [];
      setImmediate(() => this.flush());
    }
    const name = this.channelName(channel, target);
    // Only consecutive messages to one channel are batched: the order of everything published stays as it was.
    const last = pending[pending.length - 1];
    if (last !== undefined && last.name === name) {
      last.except.push(except);
      last.payloads.push(payload);
    } else pending.push({ name, except: [except], payloads: [payload] });
  }

  /**
   * Publishes the turn's messages, one Redis message per run of messages to one channel —
   * `instance\nexcept\npayload` for one message, `instance\n*\n` then `except\nlength\npayload`
   * per message for several — all in one write.
   */
  private flush(): void {
    const pending = this.pending!;
    this.pending = null;
    const pub = this.pub;
    if (pub === null || pub.status !== "ready") return;
    const target = pending.length > 1 ? pub.pipeline() : pub;
    for (const { name, except, payloads } of pending) {
      let message: Buffer;
      if (payloads.length === 1) message = Buffer.concat([Buffer.from(`${this.instanceId}\n${except[0] ?? ""}\n`), payloads[0]!]);
      else {
        const parts: Buffer[] = [Buffer.from(`${this.instanceId}\n${BATCH}\n`)];
        for (let i = 0; i < payloads.length; i++) parts.push(Buffer.from(`${except[i] ?? ""}\n${payloads[i]!.length}\n`), payloads[i]!);
        message = Buffer.concat(parts);
      }
      const sent = target.publish(name, message);
      if (sent instanceof Promise) sent.catch(this.publishFailed);
    }
    if (target !== pub) (target as ReturnType<Client["pipeline"]>).exec().catch(this.publishFailed);
  }

  private readonly publishFailed = (err: Error): void => {
    this.logger.debug?.({ err }, "websocket hub: publish failed");
  };

  subscribe(channel: HubChannel, target: string): void {
    const name = this.channelName(channel, target);
    this.wanted.add(name);
    if (this.sub?.status === "ready") this.sub.subscribe(name).catch(() => undefined);
  }

  unsubscribe(channel: HubChannel, target: string): void {
    const name = this.channelName(channel, target);
    this.wanted.delete(name);
    if (this.sub?.status === "ready") this.sub.unsubscribe(name).catch(() => undefined);
  }

  async join(room: string, member: string, user: string): Promise<PresenceChange> {
    const [first, count] = await this.pub!.veloxJoin(this.key("room", room), this.key("users", room), `${this.prefix}:rooms`, `${this.prefix}:inst:${this.instanceId}`, this.member(member), user, room);
    return { changed: first === 1, count };
  }

  async leave(room: string, member: string): Promise<PresenceChange & { user: string | null }> {
    const [last, count, user] = await this.pub!.veloxLeave(this.key("room", room), this.key("users", room), `${this.prefix}:rooms`, this.member(member), room);
    return { changed: last === 1, count, user: user ?? null };
  }

  async members(room: string): Promise<string[]> {
    return this.pub!.hkeys(this.key("users", room));
  }

  async rooms(): Promise<RoomInfo[]> {
    const flat = await this.pub!.veloxRooms(this.prefix);
    const out: RoomInfo[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ room: String(flat[i]), count: Number(flat[i + 1]) });
    return out;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    const pub = this.pub;
    if (pub !== null && pub.status === "ready") {
      // A clean exit removes this instance's members at once instead of after the TTL.
      try {
        const flat = await pub.veloxReap(this.prefix, this.instanceId);
        this.reportReaped(flat);
      } catch (err) {
        this.logger.warn({ err }, "websocket hub: could not remove this instance's members at close");
      }
    }
    for (const c of [this.sub, this.pub]) {
      if (c === null) continue;
      try {
        if (c.status === "ready") await c.quit();
        else c.disconnect();
      } catch {
        c.disconnect();
      }
    }
  }

  private channelName(channel: HubChannel, target: string): string {
    return channel === "presence" ? `${this.prefix}:presence` : `${this.prefix}:${channel === "room" ? "r" : "u"}:${target}`;
  }

  private key(kind: "room" | "users", room: string): string {
    return `${this.prefix}:${kind}:${room}`;
  }

  private member(id: string): string {
    return `${this.instanceId}:${id}`;
  }

  private onMessage(channel: string, message: Buffer): void {
    const a = message.indexOf(NL);
    const b = a === -1 ? -1 : message.indexOf(NL, a + 1);
    if (b === -1) return;
    if (message.toString("utf8", 0, a) === this.instanceId) return;
    const p = this.prefix;
    let kind: HubChannel;
    let target = "";
    if (channel === `${p}:presence`) kind = "presence";
    else if (channel.startsWith(`${p}:r:`)) kind = "room";
    else if (channel.startsWith(`${p}:u:`)) kind = "user";
    else return;
    if (kind !== "presence") target = channel.slice(p.length + 3);
    const hooks = this.hooks;
    if (hooks === null) return;
    // The excluded connection lives on the publishing instance; connection ids are unique per
    // process only, so here the same id may name another (local) connection that must receive it.
    if (b !== a + 2 || message[a + 1] !== 42 /* "*" */) {
      hooks.deliver(kind, target, message.subarray(b + 1), null);
      return;
    }
    // A batch: `except\nlength\npayload` per message; a malformed one ends the batch there.
    let at = b + 1;
    while (at < message.length) {
      const e = message.indexOf(NL, at);
      const l = e === -1 ? -1 : message.indexOf(NL, e + 1);
      if (l === -1 || l === e + 1) return;
      const length = Number(message.toString("latin1", e + 1, l));
      if (!Number.isSafeInteger(length) || length < 0 || l + 1 + length > message.length) return;
      hooks.deliver(kind, target, message.subarray(l + 1, l + 1 + length), null);
      at = l + 1 + length;
    }
  }

  private onReady(): void {
    if (!this.healthy || this.up || this.closing) return;
    this.up = true;
    const again = this.everUp;
    this.everUp = true;
    if (again) this.logger.info({ instance: this.instanceId }, "websocket hub: redis connection restored; resyncing");
    void this.sub!.subscribe(`${this.prefix}:presence`, ...this.wanted).catch((err: Error) => this.logger.warn({ err }, "websocket hub: resubscribe failed"));
    void this.beat().then(() => this.resync());
  }

  private onDown(): void {
    if (!this.up || this.closing) return;
    this.up = false;
    this.logger.warn({ instance: this.instanceId }, "websocket hub: redis connection lost; delivering to this process only until it is back");
  }

  /** Says this instance is alive and reaps instances that stopped saying so. */
  private async beat(): Promise<void> {
    const pub = this.pub;
    if (pub === null || !this.healthy) return;
    const now = Date.now();
    try {
      await pub.zadd(`${this.prefix}:instances`, now, this.instanceId);
      const dead = await pub.zrangebyscore(`${this.prefix}:instances`, "-inf", now - (this.options.instanceTtlMs ?? 15_000));
      for (const id of dead) if (id !== this.instanceId) this.reportReaped(await pub.veloxReap(this.prefix, id));
    } catch (err) {
      this.logger.debug?.({ err }, "websocket hub: heartbeat failed");
    }
  }

  private reportReaped(flat: (string | number)[]): void {
    for (let i = 0; i + 2 < flat.length; i += 3) {
      this.hooks?.changed({ type: "left", room: String(flat[i]), user: String(flat[i + 1]), count: Number(flat[i + 2]) }, true);
    }
  }

  /** Makes Redis hold exactly this process's members again (after an outage, or after being reaped). */
  private async resync(): Promise<void> {
    const hooks = this.hooks;
    const pub = this.pub;
    if (hooks === null || pub === null) return;
    const local = hooks.localMembers();
    try {
      const known = new Set([...local.keys(), ...(await pub.smembers(`${this.prefix}:inst:${this.instanceId}`))]);
      const mine = `${this.instanceId}:`;
      for (const room of known) {
        const inRedis = await pub.hgetall(this.key("room", room));
        const want = local.get(room) ?? new Map<string, string>();
        for (const member of Object.keys(inRedis)) {
          if (!member.startsWith(mine) || want.has(member.slice(mine.length))) continue;
          const change = await this.leave(room, member.slice(mine.length));
          if (change.changed && change.user !== null) hooks.changed({ type: "left", room, user: change.user, count: change.count }, true);
        }
        for (const [id, user] of want) {
          if (inRedis[this.member(id)] !== undefined) continue;
          const change = await this.join(room, id, user);
          if (change.changed) hooks.changed({ type: "joined", room, user, count: change.count }, true);
        }
      }
    } catch (err) {
      this.logger.warn({ err }, "websocket hub: resync failed; retrying at the next heartbeat");
      this.up = false;
      setTimeout(() => this.onReady(), this.options.heartbeatMs ?? 5_000).unref();
    }
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
