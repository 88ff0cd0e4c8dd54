import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APIKeyHeader, HTTPBasic, OAuth2PasswordBearer, OAuth2PasswordRequestForm, Velox } from "../../src/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";

function get(url: string, headers: Record<string, string | string[]>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("security schemes over a real socket", () => {
  let live: LiveServer;
  beforeAll(async () => {
    const app = new Velox({ logger: false });
    const oauth2 = OAuth2PasswordBearer({ tokenUrl: "token" });
    app.post("/token", { deps: { login: OAuth2PasswordRequestForm } }, ({ login }) => ({ access_token: `t-${login.username}`, token_type: "bearer", scopes: login.scopes }));
    app.get("/me", { deps: { token: oauth2 } }, ({ token }) => ({ token }));
    app.get("/basic", { deps: { credentials: HTTPBasic({ realm: "socket" }) } }, ({ credentials }) => credentials);
    app.get("/key", { deps: { key: APIKeyHeader({ name: "X-API-Key" }) } }, ({ key }) => ({ key }));
    live = await serveForTest(app);
  });
  afterAll(async () => {
    await live.close();
  });

  it("logs in with the password form and uses the token", async () => {
    const login = await fetch(`${live.url}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=password&username=ada&password=pw&scope=me+items",
    });
    expect(login.status).toBe(200);
    const body = (await login.json()) as { access_token: string; scopes: string[] };
    expect(body.scopes).toEqual(["me", "items"]);
    const me = await fetch(`${live.url}/me`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(await me.json()).toEqual({ token: "t-ada" });
  });

  it("sends the challenges on the wire", async () => {
    const me = await fetch(`${live.url}/me`);
    expect(me.status).toBe(401);
    expect(me.headers.get("www-authenticate")).toBe("Bearer");
    expect(await me.json()).toEqual({ detail: "Not authenticated" });
    const basic = await fetch(`${live.url}/basic`);
    expect(basic.status).toBe(401);
    expect(basic.headers.get("www-authenticate")).toBe('Basic realm="socket"');
    const ok = await fetch(`${live.url}/basic`, { headers: { authorization: `Basic ${Buffer.from("u:p").toString("base64")}` } });
    expect(await ok.json()).toEqual({ username: "u", password: "p" });
  });

  it("refuses an API key header sent twice (node would join them with a comma)", async () => {
    const once = await get(`${live.url}/key`, { "x-api-key": "k1" });
    expect(JSON.parse(once.body)).toEqual({ key: "k1" });
    const twice = await get(`${live.url}/key`, { "x-api-key": ["k1", "k2"] });
    expect(twice.status).toBe(401);
    expect(twice.headers["www-authenticate"]).toBe("APIKey");
  });
});
