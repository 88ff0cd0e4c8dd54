import { VeloxError } from "../errors.ts";

/** Which browser origins may open a connection: `"same-origin"`, `"*"`, a list, or a predicate. */
export type OriginPolicy = "same-origin" | "*" | readonly string[] | ((origin: string, host: string | undefined) => boolean);

/** A per-connection budget of inbound messages: `messages` per `intervalMs` (a token bucket). */
export interface MessageRateLimit {
  messages: number;
  intervalMs: number;
}

/**
 * The limits every WebSocket connection runs under, each configurable per app (`websocket`
 * option) and per route. The defaults follow `docs/hardening.md`.
 *
 * @example
 * ```ts
 * app.ws("/feed", { limits: { maxPayload: 4096, rateLimit: { messages: 10, intervalMs: 1000 } } }, handler);
 * ```
 */
export interface WebSocketLimits {
  /** Largest inbound message in bytes; a larger one closes with 1009. Default 64 KiB. */
  maxPayload?: number;
  /** Negotiate permessage-deflate (default false: it costs memory per connection and CPU per frame). */
  perMessageDeflate?: boolean;
  /** Browser origins allowed to connect (default `"same-origin"`; requests without `Origin` always pass). Others get 403. */
  origins?: OriginPolicy;
  /** Time from the upgrade request to the upgrade (dependencies and auth included). Default 10 s; 408 beyond. */
  handshakeTimeoutMs?: number;
  /** A ping every interval; a peer that did not answer the previous one is cut. Default 30 s; 0 turns it off. */
  pingIntervalMs?: number;
  /** Inbound message budget; over it the connection closes with 1008. Default 100 per second; `false` turns it off. */
  rateLimit?: MessageRateLimit | false;
  /** Bytes allowed to wait in the send buffer of a peer that reads too slowly; beyond, 1013. Default 1 MiB. */
  maxBufferedAmount?: number;
  /** After Velox sends a close frame, how long the peer has to answer before the socket is cut. Default 5 s. */
  closeTimeoutMs?: number;
  /** Messages received but not yet read by the handler before Velox stops reading the socket (backpressure). Default 64. */
  maxQueuedMessages?: number;
}

/** {@link WebSocketLimits} with every default filled in. */
export interface ResolvedLimits {
  maxPayload: number;
  perMessageDeflate: boolean;
  origins: OriginPolicy;
  handshakeTimeoutMs: number;
  pingIntervalMs: number;
  rateLimit: MessageRateLimit | false;
  maxBufferedAmount: number;
  closeTimeoutMs: number;
  maxQueuedMessages: number;
}

/** The defaults of {@link WebSocketLimits}. */
export const DEFAULT_LIMITS: Readonly<ResolvedLimits> = Object.freeze({
  maxPayload: 64 * 1024,
  perMessageDeflate: false,
  origins: "same-origin",
  handshakeTimeoutMs: 10_000,
  pingIntervalMs: 30_000,
  rateLimit: Object.freeze({ messages: 100, intervalMs: 1000 }),
  maxBufferedAmount: 1024 * 1024,
  closeTimeoutMs: 5_000,
  maxQueuedMessages: 64,
});

const KEYS = new Set(Object.keys(DEFAULT_LIMITS));

function positive(where: string, name: string, value: unknown, allowZero = false): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new VeloxError("VX_INVALID_OPTION", `${where}: websocket limit "${name}" must be a ${allowZero ? "non-negative" : "positive"} number`);
  }
  return value;
}

/**
 * Merges limits (route over app over defaults) and checks each value, naming `where` on error.
 *
 * @example
 * ```ts
 * const limits = resolveLimits("WS /chat", app.config.websocket, route.limits);
 * ```
 */
export function resolveLimits(where: string, ...layers: (WebSocketLimits | undefined)[]): ResolvedLimits {
  const merged: ResolvedLimits = { ...DEFAULT_LIMITS };
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (!KEYS.has(key)) throw new VeloxError("VX_UNKNOWN_OPTION", `${where}: unknown websocket limit "${key}"`);
      if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
    }
  }
  positive(where, "maxPayload", merged.maxPayload);
  positive(where, "handshakeTimeoutMs", merged.handshakeTimeoutMs);
  positive(where, "pingIntervalMs", merged.pingIntervalMs, true);
  positive(where, "maxBufferedAmount", merged.maxBufferedAmount);
  positive(where, "closeTimeoutMs", merged.closeTimeoutMs);
  positive(where, "maxQueuedMessages", merged.maxQueuedMessages);
  if (merged.rateLimit !== false) {
    const rl = merged.rateLimit;
    if (typeof rl !== "object" || rl === null) throw new VeloxError("VX_INVALID_OPTION", `${where}: websocket limit "rateLimit" must be { messages, intervalMs } or false`);
    positive(where, "rateLimit.messages", rl.messages);
    positive(where, "rateLimit.intervalMs", rl.intervalMs);
  }
  const o = merged.origins;
  if (!(o === "same-origin" || o === "*" || typeof o === "function" || (Array.isArray(o) && o.every((x) => typeof x === "string")))) {
    throw new VeloxError("VX_INVALID_OPTION", `${where}: websocket limit "origins" must be "same-origin", "*", a list of origins or a function`);
  }
  return merged;
}
