import { createHash } from "node:crypto";
import { isIP } from "node:net";
import type { RequestContext } from "../context.ts";
import type { Socket } from "node:net";
import { clientAddress, compileTrust, peerAddress, socketTrustOf, type TrustProxy } from "../server/trust-proxy.ts";

/**
 * What a request is counted under. `null`/`undefined`: this limiter does not apply to the request
 * (an anonymous request for a per-user limiter). May be async (a lookup), and may throw — then the
 * limiter's `failure` policy answers, as when its store is down.
 *
 * @example
 * ```ts
 * const byTenant: RateLimitKey = (ctx) => ctx.req.headers["x-tenant"] as string | undefined;
 * ```
 */
export type RateLimitKey = (ctx: RequestContext) => string | null | undefined | Promise<string | null | undefined>;

/** Longer keys are hashed: a client cannot make the store hold megabytes per bucket. */
export const MAX_RAW_KEY = 128;

/**
 * A key of bounded size: short keys as they are, longer ones as their SHA-256.
 *
 * @example
 * ```ts
 * boundedKey("a".repeat(10_000)); // "#" + 43 base64url characters
 * ```
 */
export function boundedKey(key: string): string {
  return key.length <= MAX_RAW_KEY ? key : `#${createHash("sha256").update(key).digest("base64url")}`;
}

/** `2001:db8:1:2:3:4:5:6` → `2001:db8:1:2::/64`: one client owns a whole /64, so count it once. */
function ipv6Prefix(address: string, bits: number): string {
  const [head = "", tail] = address.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right].map((g) => parseInt(g, 16) || 0);
  const kept = Math.ceil(bits / 16);
  const out = groups.slice(0, kept);
  if (bits % 16 !== 0 && out.length > 0) out[out.length - 1]! &= 0xffff << (16 - (bits % 16));
  return `${out.map((g) => g.toString(16)).join(":")}::/${bits}`;
}

/** Options of {@link byClientAddress}. */
export interface ClientAddressKeyOptions {
  /** Proxies whose `X-Forwarded-For` is believed (default: the server's `trustProxy`, which trusts none by default). */
  trustProxy?: TrustProxy;
  /** IPv6 clients are counted per prefix of this length (default 64; 128 = per address). */
  ipv6PrefixBits?: number;
}

/**
 * Counts requests per client address, read through `trustProxy` — without a trusted proxy a forged
 * `X-Forwarded-For` changes nothing. The default key of {@link rateLimit}.
 *
 * @example
 * ```ts
 * rateLimit({ limit: 10, windowMs: 60_000, key: byClientAddress({ trustProxy: "loopback" }) });
 * ```
 */
export function byClientAddress(options: ClientAddressKeyOptions = {}): RateLimitKey {
  const trust = options.trustProxy;
  const explicit = trust === undefined ? undefined : compileTrust(trust);
  const bits = options.ipv6PrefixBits ?? 64;
  const keyOf = (address: string) => (bits < 128 && address.includes(":") && isIP(address) === 6 ? ipv6Prefix(address, bits) : address);
  // Without a trusted proxy the key depends on the connection alone: computed once per
  // keep-alive connection, not per request.
  const perSocket = new WeakMap<Socket, string>();
  return (ctx) => {
    const req = ctx.req;
    const fn = explicit === undefined ? socketTrustOf(req.socket) : explicit;
    if (fn !== null) return keyOf(clientAddress(req, explicit ?? undefined));
    let key = perSocket.get(req.socket);
    if (key === undefined) perSocket.set(req.socket, (key = keyOf(peerAddress(req))));
    return key;
  };
}

const TOKEN = /^[\x21-\x7e]+$/;

/** Options of {@link byHeader}. */
export interface HeaderKeyOptions {
  /** Values longer than this, or not visible ASCII, are not believed (default 256): the request is counted under the fallback. */
  maxLength?: number;
  /** Where requests without a usable header are counted (default: {@link byClientAddress}); `null` leaves them unlimited by this limiter. */
  fallback?: RateLimitKey | null;
}

/**
 * Counts requests per value of a header (an API key): the value's SHA-256, so keys are never
 * stored in clear. Rotating made-up keys gains nothing when the default fallback also counts
 * absent or oversized values per address — still, key by the *verified* key id when you have one.
 *
 * @example
 * ```ts
 * rateLimit({ limit: 1000, windowMs: 3_600_000, key: byHeader("x-api-key") });
 * ```
 */
export function byHeader(name: string, options: HeaderKeyOptions = {}): RateLimitKey {
  const header = name.toLowerCase();
  const maxLength = options.maxLength ?? 256;
  const fallback = options.fallback === undefined ? byClientAddress() : options.fallback;
  return (ctx) => {
    const value = ctx.req.headers[header];
    if (typeof value === "string" && value.length <= maxLength && TOKEN.test(value)) {
      return `h:${createHash("sha256").update(value).digest("base64url")}`;
    }
    return fallback === null ? null : fallback(ctx);
  };
}
