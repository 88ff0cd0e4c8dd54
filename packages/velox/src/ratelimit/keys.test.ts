import { describe, expect, it } from "vitest";
import { boundedKey, byClientAddress, byHeader } from "./keys.ts";

const ctx = (remoteAddress: string, headers: Record<string, string> = {}) => ({ req: { socket: { remoteAddress }, headers } }) as never;

describe("rate-limit keys", () => {
  it("counts IPv6 clients per /64 and IPv4 per address", () => {
    const key = byClientAddress();
    expect(key(ctx("2001:db8:1:2:3:4:5:6"))).toBe("2001:db8:1:2::/64");
    expect(key(ctx("2001:db8:1:2::9"))).toBe("2001:db8:1:2::/64");
    expect(key(ctx("::ffff:10.0.0.1"))).toBe("10.0.0.1");
    expect(byClientAddress({ ipv6PrefixBits: 48 })(ctx("2001:db8:1:2::9"))).toBe("2001:db8:1::/48");
    expect(byClientAddress({ ipv6PrefixBits: 128 })(ctx("2001:db8::9"))).toBe("2001:db8::9");
  });

  it("believes X-Forwarded-For only from a trusted proxy", () => {
    expect(byClientAddress()(ctx("127.0.0.1", { "x-forwarded-for": "203.0.113.9" }))).toBe("127.0.0.1");
    expect(byClientAddress({ trustProxy: "loopback" })(ctx("127.0.0.1", { "x-forwarded-for": "203.0.113.9" }))).toBe("203.0.113.9");
    expect(byClientAddress({ trustProxy: "loopback" })(ctx("198.51.100.1", { "x-forwarded-for": "203.0.113.9" }))).toBe("198.51.100.1");
  });

  it("a keep-alive connection keeps its key without a trusted proxy, and not behind one (the per-socket cache)", () => {
    const socket = { remoteAddress: "127.0.0.1" };
    const on = (headers: Record<string, string>) => ({ req: { socket, headers } }) as never;
    const direct = byClientAddress();
    expect(direct(on({}))).toBe("127.0.0.1");
    expect(direct(on({ "x-forwarded-for": "203.0.113.9" }))).toBe("127.0.0.1");
    const proxied = byClientAddress({ trustProxy: "loopback" });
    expect(proxied(on({ "x-forwarded-for": "203.0.113.9" }))).toBe("203.0.113.9");
    expect(proxied(on({ "x-forwarded-for": "203.0.113.10" }))).toBe("203.0.113.10");
    expect(proxied(on({}))).toBe("127.0.0.1");
  });

  it("hashes header values and falls back to the address for absent, huge or non-ASCII ones", () => {
    const key = byHeader("X-Api-Key");
    const hashed = key(ctx("10.0.0.1", { "x-api-key": "secret-key" })) as string;
    expect(hashed).toMatch(/^h:[\w-]{43}$/);
    expect(hashed).not.toContain("secret");
    expect(key(ctx("10.0.0.1"))).toBe("10.0.0.1");
    expect(key(ctx("10.0.0.1", { "x-api-key": "k".repeat(257) }))).toBe("10.0.0.1");
    expect(key(ctx("10.0.0.1", { "x-api-key": "é" }))).toBe("10.0.0.1");
    expect(byHeader("x-api-key", { fallback: null })(ctx("10.0.0.1"))).toBeNull();
  });

  it("bounds key size", () => {
    expect(boundedKey("short")).toBe("short");
    expect(boundedKey("x".repeat(100_000))).toMatch(/^#[\w-]{43}$/);
  });
});
