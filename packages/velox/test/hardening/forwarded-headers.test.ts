import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Velox } from "../../src/index.ts";
import { get, httpRequest, rawRequest } from "./raw-http.ts";

const PROXY_HEADERS = /^(?:x-forwarded-.*|forwarded|x-real-ip|x-client-ip|true-client-ip|cf-connecting-ip)$/i;
const SPOOFED = {
  "X-Forwarded-For": "203.0.113.9",
  "X-Forwarded-Proto": "https",
  "X-Forwarded-Host": "evil.example",
  "X-Forwarded-Prefix": "/evil",
  Forwarded: "for=203.0.113.9;proto=https;host=evil.example",
  "X-Real-IP": "203.0.113.9",
};

/** Records every read of a proxy header from `req.headers` before Velox sees the request. */
function spyOnHeaders(req: IncomingMessage, reads: string[]): void {
  const real = req.headers;
  req.headers = new Proxy(real, {
    get(target, key, receiver) {
      if (typeof key === "string" && PROXY_HEADERS.test(key)) reads.push(key);
      return Reflect.get(target, key, receiver);
    },
  });
}

describe("X-Forwarded-* and friends are ignored by the core", () => {
  const reads: string[] = [];
  let server: Server;
  let port: number;
  let app: Velox;

  beforeAll(async () => {
    app = new Velox({ logger: false, requestScope: true });
    app.use(async (_ctx, next) => next());
    app.get("/whoami", { headers: { user_agent: z.string().optional() }, cookies: { session: z.string().optional() } }, (ctx) => ({
      ip: ctx.req.socket.remoteAddress,
      url: ctx.url,
    }));
    app.post("/items", { body: z.object({ name: z.string() }) }, ({ body }) => body);
    await app.ready();
    server = createServer((req, res) => {
      spyOnHeaders(req, reads);
      app.handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.close();
  });

  it("the app sees the socket's address, not the one a client claims", async () => {
    const res = await get(port, "/whoami", SPOOFED);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ip: "127.0.0.1", url: "/whoami" });
  });

  it("no request path reads a proxy header (routes, 404, 405, redirect, bodies, errors)", async () => {
    reads.length = 0;
    const statuses = [];
    for (const path of ["/whoami", "/nope", "/whoami/"]) statuses.push((await get(port, path, SPOOFED)).status);
    statuses.push((await rawRequest(port, httpRequest("DELETE", "/whoami", SPOOFED))).status);
    statuses.push((await rawRequest(port, httpRequest("POST", "/items", { ...SPOOFED, "Content-Type": "application/json" }, '{"name":"a"}'))).status);
    statuses.push((await rawRequest(port, httpRequest("POST", "/items", { ...SPOOFED, "Content-Type": "application/json" }, "{"))).status);
    statuses.push((await rawRequest(port, httpRequest("POST", "/items", { ...SPOOFED, "Content-Type": "text/plain" }, "{}"))).status);
    expect(statuses).toEqual([200, 404, 307, 405, 200, 422, 415]);
    expect(reads).toEqual([]);
  });

  it("no core source file mentions a proxy header (trustProxy lives in velox/server)", () => {
    const src = fileURLToPath(new URL("../../src/", import.meta.url));
    // velox/ratelimit keys by client address through velox/server's trustProxy (clientAddress), and says so.
    const batteries = new Set(["server", "middleware", "ratelimit"]);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!batteries.has(relative(src, path))) walk(path);
        } else if (/\.ts$/.test(entry.name) && !/\.test(-d)?\.ts$/.test(entry.name)) {
          if (/x-forwarded|\bforwarded\b|x-real-ip/i.test(readFileSync(path, "utf8"))) offenders.push(relative(src, path));
        }
      }
    };
    walk(src);
    expect(offenders).toEqual([]);
  });
});
