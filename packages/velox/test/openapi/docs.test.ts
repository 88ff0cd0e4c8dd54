import { gunzipSync } from "node:zlib";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTMLResponse, Velox, generateOpenAPI } from "../../src/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { createRichApp } from "./rich-app.ts";

/** A raw GET over the socket, so compressed bodies arrive as sent. */
function get(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function serve(app: Velox): Promise<LiveServer> {
  return serveForTest(app);
}

describe("docs served over a real socket", () => {
  let live: LiveServer;
  let app: Velox;
  beforeAll(async () => {
    app = createRichApp();
    live = await serve(app);
  });
  afterAll(() => live.close());

  it("serves the document at /openapi.json, revalidated by ETag", async () => {
    const res = await get(`${live.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(res.body.toString())).toEqual(JSON.parse(JSON.stringify(generateOpenAPI(app))));
    const again = await get(`${live.url}/openapi.json`, { "if-none-match": res.headers.etag as string });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect((await get(`${live.url}/openapi.json`, {}, "HEAD")).status).toBe(200);
  });

  it("serves Swagger UI from swagger-ui-dist, with no CDN anywhere", async () => {
    const page = await get(`${live.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    const html = page.body.toString();
    expect(html).toContain("<title>Rich - Swagger UI</title>");
    expect(html).not.toMatch(/https?:\/\//);
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources).toEqual(["/docs/swagger-ui.css", "/docs/favicon-32x32.png", "/docs/swagger-ui-bundle.js", "/docs/velox-swagger-init.js"]);
    for (const source of sources) expect((await get(live.url + source)).status, source).toBe(200);
    const config = JSON.parse(/type="application\/json">(.*)<\/script>/.exec(html)![1]!);
    expect(config).toMatchObject({ url: "/openapi.json", oauth2RedirectUrl: "/docs/oauth2-redirect", parameters: { dom_id: "#swagger-ui", layout: "BaseLayout" } });
  });

  it("compresses the bundles when the client accepts gzip", async () => {
    const plain = await get(`${live.url}/docs/swagger-ui-bundle.js`);
    const zipped = await get(`${live.url}/docs/swagger-ui-bundle.js`, { "accept-encoding": "gzip" });
    expect(plain.headers["content-type"]).toBe("application/javascript; charset=utf-8");
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(plain.headers["cache-control"]).toBe("public, max-age=86400");
  });

  it("serves Swagger UI's OAuth2 redirect page and its script", async () => {
    const page = await get(`${live.url}/docs/oauth2-redirect`);
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<script src="/docs/oauth2-redirect.js"></script>');
    const script = await get(`${live.url}/docs/oauth2-redirect.js`);
    expect(script.body.toString()).toContain("swaggerUIRedirectOauth2");
  });

  it("serves ReDoc from the redoc package's standalone bundle", async () => {
    const page = await get(`${live.url}/redoc`);
    expect(page.status).toBe(200);
    const html = page.body.toString();
    expect(html).toContain("<title>Rich - ReDoc</title>");
    expect(html).toContain('src="/redoc/redoc.standalone.js"');
    const bundle = await get(`${live.url}/redoc/redoc.standalone.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.body.length).toBeGreaterThan(100_000);
    expect((await get(`${live.url}/redoc/velox-redoc-init.js`)).body.toString()).toContain("Redoc.init");
  });
});

describe("docs settings", () => {
  const ping = (app: Velox) => app.get("/ping", {}, function ping() {
    return "pong";
  });

  it("turns pages off one by one, and everything off without a document", async () => {
    const noDocs = new Velox({ logger: false, openapi: { docsUrl: null, redocUrl: null } });
    ping(noDocs);
    const live = await serve(noDocs);
    expect((await get(`${live.url}/openapi.json`)).status).toBe(200);
    expect((await get(`${live.url}/docs`)).status).toBe(404);
    expect((await get(`${live.url}/docs/oauth2-redirect`)).status).toBe(404);
    expect((await get(`${live.url}/redoc`)).status).toBe(404);
    await live.close();

    const nothing = new Velox({ logger: false, openapi: { openapiUrl: null } });
    ping(nothing);
    const bare = await serve(nothing);
    expect((await get(`${bare.url}/openapi.json`)).status).toBe(404);
    expect((await get(`${bare.url}/docs`)).status).toBe(404);
    expect(nothing.routes.map((r) => r.template.template)).toEqual(["/ping"]);
    await bare.close();
  });

  it("moves the pages and prefixes their URLs with the root path", async () => {
    const app = new Velox({ logger: false, title: "Moved", openapi: { openapiUrl: "/api/spec.json", docsUrl: "/api/docs", redocUrl: "/api/redoc", rootPath: "/v1" } });
    ping(app);
    const live = await serve(app);
    expect((await get(`${live.url}/api/spec.json`)).status).toBe(200);
    const html = (await get(`${live.url}/api/docs`)).body.toString();
    expect(html).toContain('src="/v1/api/docs/swagger-ui-bundle.js"');
    expect(html).toContain('"url":"/v1/api/spec.json"');
    expect(html).toContain('"oauth2RedirectUrl":"/v1/api/docs/oauth2-redirect"');
    expect((await get(`${live.url}/api/docs/swagger-ui-bundle.js`)).status).toBe(200);
    expect((await get(`${live.url}/api/redoc`)).body.toString()).toContain('"url":"/v1/api/spec.json"');
    await live.close();
  });

  it("leaves a path the app routes itself alone", async () => {
    const app = new Velox({ logger: false });
    app.get("/docs", {}, () => new HTMLResponse("<h1>my docs</h1>"));
    const live = await serve(app);
    expect((await get(`${live.url}/docs`)).body.toString()).toBe("<h1>my docs</h1>");
    expect((await get(`${live.url}/docs/swagger-ui-bundle.js`)).status).toBe(200);
    await live.close();
  });

  it("passes Swagger UI parameters and OAuth settings through", async () => {
    const app = new Velox({ logger: false, openapi: { swaggerUiParameters: { deepLinking: false, persistAuthorization: true }, swaggerUiInitOAuth: { clientId: "docs" } } });
    const live = await serve(app);
    const html = (await get(`${live.url}/docs`)).body.toString();
    const config = JSON.parse(/type="application\/json">(.*)<\/script>/.exec(html)![1]!);
    expect(config.parameters).toMatchObject({ deepLinking: false, persistAuthorization: true, showExtensions: true });
    expect(config.initOAuth).toEqual({ clientId: "docs" });
    await live.close();
  });
});
