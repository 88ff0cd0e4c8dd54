import type { IncomingMessage } from "node:http";
import { BlockList, isIP, type Socket } from "node:net";
import { VeloxError } from "../errors.ts";

/**
 * Which proxies in front of the server are believed when they set `X-Forwarded-*`:
 * - `false` (default): none; the socket's peer is the client.
 * - `true`: every hop (only when the server is unreachable except through proxies).
 * - a number `n`: the `n` hops nearest the server are proxies (`1` = one load balancer).
 * - addresses, CIDR ranges or the names `loopback`, `linklocal`, `uniquelocal`, as a list or a
 *   comma-separated string: hops from those addresses are proxies.
 * - a function `(address, hop) => boolean`, hop 0 being the socket's peer.
 *
 * @example
 * ```ts
 * const behindAlb: TrustProxy = 1;
 * const behindLocalNginx: TrustProxy = "loopback";
 * const behindPrivateProxies: TrustProxy = ["10.0.0.0/8", "fd00::/8"];
 * ```
 */
export type TrustProxy = boolean | number | string | readonly string[] | ((address: string, hop: number) => boolean);

/**
 * A compiled {@link TrustProxy}: whether the address at `hop` (0 = socket peer) is a proxy.
 *
 * @example
 * ```ts
 * const trust: TrustFn = (address, hop) => hop === 0 && address.startsWith("10.");
 * ```
 */
export type TrustFn = (address: string, hop: number) => boolean;

const NAMED: Record<string, readonly string[]> = {
  loopback: ["127.0.0.1/8", "::1/128"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
  uniquelocal: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

/** `::ffff:10.0.0.1` → `10.0.0.1`; `[::1]:80` and `1.2.3.4:80` lose the port. */
function normalize(raw: string): string {
  let address = raw.trim();
  if (address.startsWith("[")) address = address.slice(1, address.indexOf("]") === -1 ? undefined : address.indexOf("]"));
  else if (address.indexOf(":") !== -1 && address.indexOf(":") === address.lastIndexOf(":")) address = address.slice(0, address.indexOf(":"));
  if (address.toLowerCase().startsWith("::ffff:") && isIP(address.slice(7)) === 4) address = address.slice(7);
  return address;
}

function blockListOf(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries.flatMap((e) => e.split(",")).map((e) => e.trim()).filter(Boolean)) {
    const named = NAMED[entry];
    if (named) {
      for (const cidr of named) addRange(list, cidr);
      continue;
    }
    addRange(list, entry);
  }
  return list;
}

function addRange(list: BlockList, entry: string): void {
  const [address = "", prefix] = entry.split("/");
  const family = isIP(address);
  if (family === 0) throw new VeloxError("VX_INVALID_OPTION", `trustProxy: "${entry}" is not an IP address, a CIDR range or loopback/linklocal/uniquelocal`);
  const type = family === 4 ? "ipv4" : "ipv6";
  if (prefix === undefined) {
    list.addAddress(address, type);
    return;
  }
  const bits = Number(prefix);
  if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) throw new VeloxError("VX_INVALID_OPTION", `trustProxy: bad prefix in "${entry}"`);
  list.addSubnet(address, bits, type);
}

/**
 * Compiles a {@link TrustProxy} setting into a predicate; `null` means trust nothing.
 *
 * @example
 * ```ts
 * const trust = compileTrust("loopback, 10.0.0.0/8");
 * trust?.("10.1.2.3", 0); // true
 * ```
 */
export function compileTrust(setting: TrustProxy | undefined): TrustFn | null {
  if (setting === undefined || setting === false || setting === 0) return null;
  if (setting === true) return () => true;
  if (typeof setting === "function") return setting;
  if (typeof setting === "number") {
    if (!Number.isInteger(setting) || setting < 0) throw new VeloxError("VX_INVALID_OPTION", "trustProxy: a hop count must be a non-negative integer");
    return (_address, hop) => hop < setting;
  }
  const list = blockListOf(typeof setting === "string" ? [setting] : setting);
  return (address) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
  };
}

const socketTrust = new WeakMap<Socket, TrustFn>();

/** The trust setting of the server a connection arrived on (null: no proxy is trusted). @internal */
export function socketTrustOf(socket: Socket): TrustFn | null {
  return socketTrust.get(socket) ?? null;
}

/** The socket peer's address as {@link clientAddress} reports it (no `X-Forwarded-For`). @internal */
export function peerAddress(req: IncomingMessage): string {
  return normalize(req.socket.remoteAddress ?? "");
}

/** Records the trust setting of the server a connection arrived on. @internal */
export function setSocketTrust(socket: Socket, trust: TrustFn): void {
  socketTrust.set(socket, trust);
}

/** Forwarded addresses, nearest hop first, with the socket's peer at index 0. */
function hops(req: IncomingMessage): string[] {
  const peer = normalize(req.socket.remoteAddress ?? "");
  const header = req.headers["x-forwarded-for"];
  if (header === undefined) return [peer];
  const forwarded = (Array.isArray(header) ? header.join(",") : header).split(",");
  const list = [peer];
  for (let i = forwarded.length - 1; i >= 0; i--) list.push(normalize(forwarded[i]!));
  return list;
}

/**
 * The client's IP address. `X-Forwarded-For` is read only through hops the server's `trustProxy`
 * setting (or the `trust` argument) trusts; otherwise it is the socket's peer, whatever the
 * headers say — so a client cannot spoof its address to a rate limiter or an audit log.
 *
 * @example
 * ```ts
 * import { clientAddress } from "velox/server";
 * app.get("/whoami", {}, ({ req }) => ({ ip: clientAddress(req) }));
 * ```
 */
export function clientAddress(req: IncomingMessage, trust?: TrustProxy): string {
  const fn = trust === undefined ? socketTrust.get(req.socket) ?? null : compileTrust(trust);
  const list = hops(req);
  if (fn === null) return list[0]!;
  for (let hop = 0; hop < list.length - 1; hop++) {
    const address = list[hop]!;
    if (!fn(address, hop)) return address;
    if (isIP(list[hop + 1]!) === 0) return address;
  }
  return list[list.length - 1]!;
}

function firstForwarded(req: IncomingMessage, name: string, trust: TrustProxy | undefined): string | undefined {
  const fn = trust === undefined ? socketTrust.get(req.socket) ?? null : compileTrust(trust);
  if (fn === null || !fn(normalize(req.socket.remoteAddress ?? ""), 0)) return undefined;
  const header = req.headers[name];
  const value = (Array.isArray(header) ? header[0] : header)?.split(",")[0]?.trim();
  return value === "" ? undefined : value;
}

/**
 * `https` or `http` as the client used it: `X-Forwarded-Proto` from a trusted proxy, else whether
 * this socket is TLS.
 *
 * @example
 * ```ts
 * if (requestProtocol(req) !== "https") throw new HTTPException(400, "HTTPS required");
 * ```
 */
export function requestProtocol(req: IncomingMessage, trust?: TrustProxy): "http" | "https" {
  const forwarded = firstForwarded(req, "x-forwarded-proto", trust)?.toLowerCase();
  if (forwarded === "https" || forwarded === "http") return forwarded;
  return (req.socket as Socket & { encrypted?: boolean }).encrypted ? "https" : "http";
}

/**
 * The host the client asked for: `X-Forwarded-Host` from a trusted proxy, else `Host`.
 *
 * @example
 * ```ts
 * const base = `${requestProtocol(req)}://${requestHost(req)}`;
 * ```
 */
export function requestHost(req: IncomingMessage, trust?: TrustProxy): string | undefined {
  return firstForwarded(req, "x-forwarded-host", trust) ?? req.headers.host;
}
