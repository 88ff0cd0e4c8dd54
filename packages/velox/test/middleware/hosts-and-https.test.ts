import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Velox } from "../../src/index.ts";
import { httpsRedirect } from "../../src/middleware/https-redirect.ts";
import { trustedHost } from "../../src/middleware/trusted-host.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { RawConnection } from "../hardening/raw-http.ts";
import { send } from "./http-get.ts";
import { install } from "./install.ts";

function buildApp(): Velox {
  const app = new Velox({ logger: false });
  app.get("/items", {}, () => ["a"]);
  return app;
}

describe("trustedHost over a real socket", () => {
  let live: LiveServer;
  let proxied: LiveServer;
  beforeAll(async () => {
    live = await serveForTest(install(buildApp(), trustedHost({ allowedHosts: ["example.com", "www.shop.test", "*.api.test"] })));
    proxied = await serveForTest(install(buildApp(), trustedHost({ allowedHosts: ["public.test"], trustProxy: "loopback" })));
  });
  afterAll(async () => {
    await live.close();
    await proxied.close();
  });

  it("serves allowed hosts with any port and case, subdomains of a wildcard", async () => {
    for (const host of ["example.com", "EXAMPLE.com:8000", "v1.api.test"]) {
      const res = await send(`${live.url}/items`, { headers: { host } });
      expect(res.status, host).toBe(200);
    }
  });

  it("answers 400 to other hosts, on unmatched paths too", async () => {
    for (const host of ["evil.test", "example.com.evil.test", "api.test", "127.0.0.1"]) {
      const res = await send(`${live.url}/items`, { headers: { host } });
      expect(res.status, host).toBe(400);
      expect(res.body.toString()).toBe("Invalid host header");
    }
    expect((await send(`${live.url}/missing`, { headers: { host: "evil.test" } })).status).toBe(400);
  });

  it("answers 400 to a missing Host (HTTP/1.0) and to a Host that is not a host name", async () => {
    const conn = await RawConnection.open(live.port);
    conn.write("GET /items HTTP/1.0\r\n\r\n");
    expect((await conn.nextResponse()).status).toBe(400);
    conn.destroy();
    const odd = await send(`${live.url}/items`, { headers: { host: "example.com@evil.test" } });
    expect(odd.status).toBe(400);
  });

  it("redirects the apex to www when only www is allowed, keeping port, path and query", async () => {
    const res = await send(`${live.url}/items?page=2`, { headers: { host: "shop.test:8443" } });
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe("http://www.shop.test:8443/items?page=2");
  });

  it("reads X-Forwarded-Host only from a trusted proxy", async () => {
    const viaProxy = await send(`${proxied.url}/items`, { headers: { host: "10.0.0.5:8000", "x-forwarded-host": "public.test" } });
    expect(viaProxy.status).toBe(200);
    const direct = await send(`${live.url}/items`, { headers: { host: "evil.test", "x-forwarded-host": "example.com" } });
    expect(direct.status).toBe(400);
  });

  it("refuses an empty host list", () => {
    expect(() => trustedHost({ allowedHosts: [] })).toThrow(/allowedHosts/);
  });
});

describe("httpsRedirect over a real socket", () => {
  let direct: LiveServer;
  let proxied: LiveServer;
  beforeAll(async () => {
    direct = await serveForTest(install(buildApp(), httpsRedirect()));
    proxied = await serveForTest(install(buildApp(), httpsRedirect({ trustProxy: "loopback", status: 308 })));
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
  });

  it("redirects plain HTTP to HTTPS with 307, dropping port 80, keeping others", async () => {
    const res = await send(`${direct.url}/items?x=1`, { headers: { host: "example.com:80" } });
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe("https://example.com/items?x=1");
    const other = await send(`${direct.url}/items`, { headers: { host: "example.com:8080" } });
    expect(other.headers.location).toBe("https://example.com:8080/items");
  });

  it("does not believe X-Forwarded-Proto from an untrusted peer", async () => {
    const res = await send(`${direct.url}/items`, { headers: { host: "example.com", "x-forwarded-proto": "https" } });
    expect(res.status).toBe(307);
  });

  it("behind a trusted proxy, serves forwarded HTTPS and redirects forwarded HTTP (308)", async () => {
    const secure = await send(`${proxied.url}/items`, { headers: { host: "example.com", "x-forwarded-proto": "https" } });
    expect(secure.status).toBe(200);
    const plain = await send(`${proxied.url}/items`, { headers: { host: "internal:8000", "x-forwarded-proto": "http", "x-forwarded-host": "example.com" } });
    expect(plain.status).toBe(308);
    expect(plain.headers.location).toBe("https://example.com/items");
  });

  it("answers 400 rather than redirecting to a host that is not a host name", async () => {
    const res = await send(`${direct.url}/items`, { headers: { host: "evil.test/x?" } });
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
  });
});
