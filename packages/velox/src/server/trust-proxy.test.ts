import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { VeloxError } from "../index.ts";
import { clientAddress, compileTrust, requestHost, requestProtocol, setSocketTrust } from "./trust-proxy.ts";

function req(peer: string, headers: Record<string, string | string[]> = {}, encrypted = false): IncomingMessage {
  return { socket: { remoteAddress: peer, encrypted }, headers } as unknown as IncomingMessage;
}

describe("clientAddress", () => {
  it("ignores X-Forwarded-For unless a proxy is trusted", () => {
    const r = req("203.0.113.9", { "x-forwarded-for": "1.2.3.4" });
    expect(clientAddress(r)).toBe("203.0.113.9");
    expect(clientAddress(r, false)).toBe("203.0.113.9");
  });

  it("with a hop count, takes the address that many hops from the server", () => {
    const r = req("10.0.0.2", { "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.0.0.1" });
    expect(clientAddress(r, 1)).toBe("10.0.0.1");
    expect(clientAddress(r, 2)).toBe("198.51.100.7");
    expect(clientAddress(r, 3)).toBe("6.6.6.6");
    expect(clientAddress(r, 9)).toBe("6.6.6.6");
  });

  it("with addresses and ranges, walks back through trusted hops only, so a client cannot spoof", () => {
    // The client prepended a fake address; the load balancer 10.0.0.1 appended the real one.
    const r = req("10.0.0.1", { "x-forwarded-for": "127.0.0.1, 198.51.100.7" });
    expect(clientAddress(r, "10.0.0.0/8")).toBe("198.51.100.7");
    expect(clientAddress(r, ["loopback", "10.0.0.0/8"])).toBe("198.51.100.7");
    expect(clientAddress(r, "uniquelocal")).toBe("198.51.100.7");
    expect(clientAddress(req("198.51.100.1", { "x-forwarded-for": "1.1.1.1" }), "10.0.0.0/8")).toBe("198.51.100.1");
  });

  it("normalizes IPv4-mapped IPv6 peers, IPv6 ranges, ports and repeated headers", () => {
    expect(clientAddress(req("::ffff:127.0.0.1", { "x-forwarded-for": "198.51.100.7" }), "loopback")).toBe("198.51.100.7");
    expect(clientAddress(req("fd00::1", { "x-forwarded-for": "[2001:db8::5]:443" }), "fc00::/7")).toBe("2001:db8::5");
    expect(clientAddress(req("10.0.0.1", { "x-forwarded-for": ["5.5.5.5", "198.51.100.7:1234"] }), 1)).toBe("198.51.100.7");
  });

  it("stops at a forwarded value that is not an address", () => {
    expect(clientAddress(req("10.0.0.1", { "x-forwarded-for": "not-an-ip" }), true)).toBe("10.0.0.1");
  });

  it("reads the setting recorded for the connection when none is passed", () => {
    const r = req("10.0.0.1", { "x-forwarded-for": "198.51.100.7" });
    setSocketTrust(r.socket, compileTrust(1)!);
    expect(clientAddress(r)).toBe("198.51.100.7");
  });

  it("accepts a predicate and rejects malformed settings", () => {
    const r = req("10.0.0.1", { "x-forwarded-for": "198.51.100.7" });
    expect(clientAddress(r, (address) => address === "10.0.0.1")).toBe("198.51.100.7");
    expect(() => compileTrust("10.0.0.0/99")).toThrow(VeloxError);
    expect(() => compileTrust("proxy.internal")).toThrow(/not an IP address/);
    expect(compileTrust(0)).toBeNull();
  });
});

describe("requestProtocol and requestHost", () => {
  it("believe X-Forwarded-Proto/Host only from a trusted peer", () => {
    const r = req("10.0.0.1", { "x-forwarded-proto": "https, http", "x-forwarded-host": "shop.example", host: "10.0.0.5:8000" });
    expect(requestProtocol(r)).toBe("http");
    expect(requestHost(r)).toBe("10.0.0.5:8000");
    expect(requestProtocol(r, "10.0.0.0/8")).toBe("https");
    expect(requestHost(r, "10.0.0.0/8")).toBe("shop.example");
    expect(requestProtocol(req("1.2.3.4", {}, true))).toBe("https");
  });
});
