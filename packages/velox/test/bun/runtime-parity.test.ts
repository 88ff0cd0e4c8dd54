/**
 * The same HTTP-level cases on both runtimes: each app runs under node's `serve()` in this
 * process and under Bun's native server (`Bun.serve`, via host.ts) in a Bun process.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve, type ServerHandle } from "../../src/server/index.ts";
import { RawConnection, rawRequest } from "../hardening/raw-http.ts";
import { fastapiCases, replay } from "../validators/fastapi-cases.ts";
import { referenceApp } from "../validators/zod-reference-app.ts";
import { bunBinary, hostOnBun } from "./bun-process.ts";
import { HttpClient } from "./http-client.ts";
import * as apps from "./parity-apps.ts";
import { skipRedis } from "../websocket/redis-helpers.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const bun = bunBinary();
if (bun === null) console.warn("SKIPPED the Bun runtime tests: node_modules/.bin/bun is missing");
const runtimes = bun === null ? ["node"] : ["node", "bun"];

interface Served {
  url: string;
  port: number;
  client: HttpClient;
  stop(): Promise<void>;
}

async function host(runtime: string, file: string, exportName: string, build: () => unknown): Promise<Served> {
  if (runtime === "bun") {
    const hosted = await hostOnBun(file, exportName);
    expect(hosted.runtime).toBe("bun");
    return { url: hosted.url, port: hosted.port, client: new HttpClient(hosted.url), stop: async () => void (await hosted.stop()) };
  }
  const handle: ServerHandle = await serve(build() as Parameters<typeof serve>[0], { port: 0, host: "127.0.0.1", workers: 0, handleSignals: false, logger: { error() {}, warn() {}, info() {} } });
  return { url: handle.url, port: handle.port, client: new HttpClient(handle.url), stop: () => handle.shutdown() };
}

const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

describe.each(runtimes)("on %s", (runtime) => {
  describe("the FastAPI 422 table", () => {
    let served: Served;
    beforeAll(async () => {
      served = await host(runtime, join(HERE, "..", "validators", "zod-reference-app.ts"), "referenceApp", referenceApp);
    });
    afterAll(() => served.stop());

    it.each(fastapiCases)("$name", async ({ request, fastapi, velox }) => {
      const answer = await replay(served.client, request);
      expect(answer).toEqual(velox ? { status: velox.status, body: velox.body } : fastapi);
    });
  });

  describe("dependencies, cleanups, background tasks and hooks", () => {
    let served: Served;
    beforeAll(async () => {
      served = await host(runtime, join(HERE, "parity-apps.ts"), "dependencyApp", apps.dependencyApp);
    });
    afterAll(() => served.stop());

    it("resolves the graph, cleans up in order after the response and runs background tasks", async () => {
      const first = await served.client.get("/me", { headers: { "x-user": "ada" } });
      expect(first.json()).toEqual({ name: "ada", session: "s1", singleton: 1, early: "f" });
      expect(first.headers["x-hooked"]).toBe("yes");
      const second = await served.client.get("/me", { headers: { "x-user": "bob" } });
      expect(second.json().singleton).toBe(1);
      await settle();
      const events = (await served.client.get("/events")).json();
      expect(events).toEqual(["session open", "function open", "function closed", "session closed", "background ran", "session open", "function open", "function closed", "session closed", "background ran"]);
    });

    it("answers validation errors of dependencies and HTTPException headers as FastAPI does", async () => {
      const bad = await served.client.get("/me", { headers: { "x-user": "a" } });
      expect(bad.status).toBe(422);
      expect(bad.json().detail[0]).toMatchObject({ type: "string_too_short", loc: ["header", "x-user"] });
      const fail = await served.client.get("/fail");
      expect(fail.status).toBe(409);
      expect(fail.headers["x-reason"]).toBe("test");
      await settle();
      // The 422 throws into the open generators (the function-scoped one skips its code after yield), then /fail.
      expect((await served.client.get("/events")).json()).toEqual(["session open", "function open", "session closed", "session open", "session closed"]);
    });
  });

  describe("security schemes", () => {
    let served: Served;
    beforeAll(async () => {
      served = await host(runtime, join(HERE, "parity-apps.ts"), "securityApp", apps.securityApp);
    });
    afterAll(() => served.stop());

    it("answers 401 with WWW-Authenticate, checks scopes and accepts good credentials", async () => {
      const none = await served.client.get("/items");
      expect(none.status).toBe(401);
      expect(none.headers["www-authenticate"]).toBe("Bearer");
      const weak = await served.client.get("/items", { headers: { authorization: "Bearer good" } });
      expect(weak.status).toBe(401);
      expect(weak.headers["www-authenticate"]).toBe('Bearer scope="items:read"');
      expect((await served.client.get("/items", { headers: { authorization: "Bearer reader" } })).json()).toEqual({ user: "reader" });
      const basicBad = await served.client.get("/admin", { headers: { authorization: `Basic ${Buffer.from("admin:nope").toString("base64")}` } });
      expect(basicBad.status).toBe(401);
      expect(basicBad.headers["www-authenticate"]).toBe('Basic realm="admin"');
      expect((await served.client.get("/admin", { headers: { authorization: `Basic ${Buffer.from("admin:s3cret").toString("base64")}` } })).json()).toEqual({ admin: "admin" });
      expect((await served.client.get("/keyed")).status).toBe(401);
      expect((await served.client.get("/keyed", { headers: { "x-api-key": "abc" } })).json()).toEqual({ key: 3 });
    });
  });

  describe("hostile input over a raw socket", () => {
    let served: Served;
    beforeAll(async () => {
      served = await host(runtime, join(HERE, "parity-apps.ts"), "hardeningApp", apps.hardeningApp);
    });
    afterAll(() => served.stop());
    const post = (path: string, type: string, body: string, extra = "") =>
      rawRequest(served.port, `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extra}\r\n${body}`);

    it("answers 400 to a request with two Host headers; one Host is served, with its route's media type", async () => {
      const twice = await rawRequest(served.port, "GET /q?n=1 HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n");
      expect(twice.status).toBe(400);
      expect(JSON.parse(twice.body.toString())).toEqual({ detail: "Bad Request" });
      const once = await rawRequest(served.port, "GET /q?n=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      expect([once.status, once.headers["content-type"], JSON.parse(once.body.toString())]).toEqual([200, "application/json", { n: 1, tag: [] }]);
      const text = await rawRequest(served.port, "GET /nowhere HTTP/1.1\r\nHost: a\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
      expect(text.headers["content-type"]).toBe("application/json");
    });

    it("filters a response through its model: undeclared keys dropped, the model's key order, a 500 for an invalid one", async () => {
      const profile = await served.client.get("/profile");
      expect(profile.status).toBe(200);
      expect(profile.text).toBe('{"id":1,"name":"Ada \ud83d\ude00","tags":[{"k":"a\\"\\\\b"}],"note":null}');
      expect((await served.client.get("/profile-bad")).status).toBe(500);
    });

    it("routes a request without a usable Host on its path (Bun's request.url is then the path alone)", async () => {
      // Regression: on Bun, "/q?n=1" without a Host was routed as "/" (a 404).
      const noHost = await rawRequest(served.port, "GET /q?n=1 HTTP/1.0\r\n\r\n");
      expect([noHost.status, JSON.parse(noHost.body.toString())]).toEqual([200, { n: 1, tag: [] }]);
      const emptyHost = await rawRequest(served.port, "GET /q?n=2 HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n");
      expect([emptyHost.status, JSON.parse(emptyHost.body.toString())]).toEqual([200, { n: 2, tag: [] }]);
    });

    it("refuses bodies over the limit, declared or streamed chunked", async () => {
      const declared = await rawRequest(served.port, `POST /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n`);
      expect(declared.status).toBe(413);
      const chunk = `{"name":"${"x".repeat(2000)}"}`;
      const chunked = await rawRequest(served.port, `POST /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`);
      expect(chunked.status).toBe(413);
      expect((await served.client.post("/big", { json: { data: "y".repeat(20_000) } })).json()).toEqual({ length: 20_000 });
    });

    it("answers 415 for a JSON route without a JSON content type, 422 for bad JSON, 400 for prototype keys and deep nesting", async () => {
      expect((await post("/json", "text/plain", '{"name":"a"}')).status).toBe(415);
      expect((await post("/json", "application/jsonx", '{"name":"a"}')).status).toBe(415);
      const invalid = await post("/json", "application/json", '{"name":');
      expect(invalid.status).toBe(422);
      expect(invalid.json().detail[0].type).toBe("json_invalid");
      expect((await post("/json", "application/json", '{"name":"a","__proto__":{"x":1}}')).status).toBe(400);
      expect((await post("/json", "application/json", `{"name":"a","d":${"[".repeat(100)}${"]".repeat(100)}}`)).status).toBe(400);
      expect((await post("/json", "application/json", "")).json().detail[0].type).toBe("missing");
      expect((await post("/json", "application/json; charset=latin1", '{"name":"a"}')).status).toBe(415);
    });

    it("refuses non-UTF-8 bodies, repeated scalars, too many query parameters", async () => {
      const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      const conn = await RawConnection.open(served.port);
      conn.write(Buffer.concat([Buffer.from(`POST /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`), bytes]));
      expect((await conn.nextResponse()).status).toBe(400);
      conn.destroy();
      const repeated = await served.client.get("/q?n=1&n=2");
      expect(repeated.status).toBe(422);
      expect((await served.client.get("/q?n=1&tag=a&tag=b")).json()).toEqual({ n: 1, tag: ["a", "b"] });
      expect((await served.client.get(`/q?n=1&${Array.from({ length: 30 }, (_, i) => `t${i}=1`).join("&")}`)).status).toBe(413);
    });

    it("parses forms and cookies, writes several Set-Cookie headers, refuses CR/LF in a header value", async () => {
      expect((await served.client.post("/form", { form: { username: "ada", scope: ["a", "b"] } })).json()).toEqual({ username: "ada", scope: ["a", "b"] });
      expect((await served.client.get("/cookies", { cookies: { session: "x y" } })).json()).toEqual({ session: "x y" });
      const cookies = await served.client.get("/set-cookies");
      expect(cookies.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/; HttpOnly"]);
      const split = await served.client.get(`/echo-header?value=${encodeURIComponent("a\r\nx-injected: 1")}`);
      expect(split.status).toBe(500);
      expect(split.headers["x-injected"]).toBeUndefined();
    });
  });

  describe.skipIf(skipRedis)("rate limits on Redis", () => {
    let served: Served;
    beforeAll(async () => {
      served = await host(runtime, join(HERE, "parity-apps.ts"), "redisLimitApp", apps.redisLimitApp);
    });
    afterAll(() => served.stop());

    it("counts a concurrent burst exactly over the store's own connection: 5 of 12, remaining 4 … 0, then 429", async () => {
      const answers = await Promise.all(Array.from({ length: 12 }, () => fetch(`${served.url}/limited`, { headers: { "x-client": "burst" } })));
      const allowed = answers.filter((r) => r.status === 200);
      expect(allowed.map((r) => Number(/r=(\d+)/.exec(r.headers.get("ratelimit") ?? "")?.[1])).sort()).toEqual([0, 1, 2, 3, 4]);
      const refused = answers.filter((r) => r.status === 429);
      expect(refused).toHaveLength(7);
      expect(Number(refused[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(11);
      expect((await fetch(`${served.url}/limited`, { headers: { "x-client": "other" } })).status).toBe(200);
    });
  });

  describe("streams and files", () => {
    let served: Served;
    beforeAll(async () => {
      served = await host(runtime, join(HERE, "parity-apps.ts"), "streamingApp", apps.streamingApp);
    });
    afterAll(() => served.stop());

    it("streams a body and serves files with ranges and conditional requests", async () => {
      const count = await served.client.get("/count?to=500");
      expect(count.text.split("\n").filter(Boolean)).toHaveLength(500);
      const file = await served.client.get("/file");
      expect(file.text).toBe("0123456789abcdefghij");
      expect(file.headers["content-disposition"]).toContain("hello.txt");
      const range = await served.client.get("/file", { headers: { range: "bytes=5-9" } });
      expect(range.status).toBe(206);
      expect(range.text).toBe("56789");
      const etag = file.headers.etag as string;
      expect((await served.client.get("/file", { headers: { "if-none-match": etag } })).status).toBe(304);
      expect((await served.client.get("/file", { headers: { range: "bytes=50-60" } })).status).toBe(416);
    });

    it("stops the producer when the client goes away", async () => {
      const conn = await RawConnection.open(served.port);
      conn.write("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n");
      await settle(150);
      conn.destroy();
      let stopped = 0;
      for (let i = 0; i < 40 && stopped === 0; i++) {
        await settle(50);
        stopped = (await served.client.get("/stopped")).json().producerStopped;
      }
      expect(stopped).toBe(1);
    });

    it("aborts a handler's signal when the client leaves after sending its body", async () => {
      const body = '{"ms":4000}';
      expect((await served.client.post("/wait", { json: { ms: 1 } })).json()).toEqual({ waited: 1 });
      const conn = await RawConnection.open(served.port);
      conn.write(`POST /wait HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      await settle(150);
      conn.destroy();
      let aborted = 0;
      for (let i = 0; i < 40 && aborted === 0; i++) {
        await settle(50);
        aborted = (await served.client.get("/waits-aborted")).json().waitsAborted;
      }
      expect(aborted).toBe(1);
    });
  });
});
