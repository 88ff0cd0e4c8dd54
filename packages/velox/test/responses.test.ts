import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EmptyResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, StreamingResponse, Velox } from "../src/index.ts";
import { serveForTest, TestClient } from "../src/testing/index.ts";

describe("responses", () => {
  it("filters undeclared fields through the compiled serializer: a password hash never reaches the client", async () => {
    const User = z.object({ id: z.int(), username: z.string() });
    const app = new Velox({ logger: false });
    const row = { id: 1, username: "ada", password_hash: "$argon2id$v=19$secret" };
    app.get("/validated", { response: User }, () => row);
    app.get("/fast", { response: User, validateResponse: false }, () => row);
    const client = new TestClient(app);
    for (const path of ["/validated", "/fast"]) {
      const res = await client.get(path);
      expect(res.text).toBe('{"id":1,"username":"ada"}');
      expect(res.text).not.toContain("argon2");
    }
  });

  it("uses the route status, per-status models, and statuses set by the handler", async () => {
    const Item = z.object({ id: z.int() });
    const Conflict = z.object({ message: z.string() });
    const app = new Velox({ logger: false });
    app.post("/items", { status: 201, response: Item, responses: { 409: Conflict } }, ({ response }) => {
      response.status = 409;
      return { message: "exists", extra: true };
    });
    app.post("/ok", { status: 201, response: Item }, () => ({ id: 7 }));
    const client = new TestClient(app);
    const conflict = await client.post("/items");
    expect([conflict.status, conflict.json()]).toEqual([409, { message: "exists" }]);
    const created = await client.post("/ok");
    expect([created.status, created.json(), created.headers["content-length"]]).toEqual([201, { id: 7 }, "8"]);
  });

  it("sets headers and cookies from the handler and refuses CR/LF", async () => {
    const app = new Velox({ logger: false });
    app.get("/c", {}, ({ response }) => {
      response.setHeader("x-trace", "abc").setCookie("session", "s1", { httpOnly: true, sameSite: "lax" });
      response.deleteCookie("old");
      return { ok: true };
    });
    app.get("/split", { query: { v: z.string() } }, ({ query, response }) => {
      response.setHeader("x-echo", query.v);
      return "never";
    });
    const client = new TestClient(app);
    const res = await client.get("/c");
    expect(res.headers["x-trace"]).toBe("abc");
    expect(res.headers["set-cookie"]).toEqual(["session=s1; Path=/; HttpOnly; SameSite=Lax", expect.stringMatching(/^old=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970/)]);
    const split = await client.get("/split", { query: { v: "a\r\nSet-Cookie: pwned=1" } });
    expect(split.status).toBe(500);
    expect(split.headers["set-cookie"]).toBeUndefined();
  });

  it("returns JSON, text, HTML, redirects and empty responses as given", async () => {
    const app = new Velox({ logger: false });
    app.get("/json", {}, () => new JSONResponse({ a: 1 }, { status: 202, headers: { "x-a": "1" } }));
    app.get("/text", {}, () => new PlainTextResponse("hello"));
    app.get("/html", {}, () => new HTMLResponse("<b>hi</b>"));
    app.get("/go", {}, () => new RedirectResponse("/target?q=a b"));
    app.delete("/gone", {}, () => new EmptyResponse());
    app.get("/none", {}, () => undefined);
    const client = new TestClient(app);
    const json = await client.get("/json");
    expect([json.status, json.json(), json.headers["x-a"], json.headers["content-type"]]).toEqual([202, { a: 1 }, "1", "application/json"]);
    expect((await client.get("/text")).headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect((await client.get("/html")).text).toBe("<b>hi</b>");
    const go = await client.get("/go");
    expect([go.status, go.headers.location]).toEqual([307, "/target?q=a%20b"]);
    const gone = await client.delete("/gone");
    expect([gone.status, gone.body.length, gone.headers["content-length"]]).toEqual([204, 0, undefined]);
    expect((await client.get("/none")).text).toBe("null");
  });

  it("streams with backpressure over a real socket", async () => {
    const app = new Velox({ logger: false });
    let produced = 0;
    app.get("/stream", {}, () => new StreamingResponse((async function* () {
      for (let i = 0; i < 1000; i++) {
        produced++;
        yield "x".repeat(64 * 1024);
      }
    })(), { headers: { "content-type": "text/plain" } }));
    app.get("/readable", {}, () => new StreamingResponse(Readable.from(["a", "b", "c"])));
    const live = await serveForTest(app);
    const res = await fetch(`${live.url}/stream`);
    const reader = res.body!.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 100));
    expect(produced).toBeLessThan(200);
    await reader.cancel();
    expect(await (await fetch(`${live.url}/readable`)).text()).toBe("abc");
    await live.close();
  });

  it("answers HEAD for GET routes without a body", async () => {
    const app = new Velox({ logger: false });
    app.get("/h", {}, () => ({ hello: "world" }));
    const res = await new TestClient(app).head("/h");
    expect([res.status, res.body.length, res.headers["content-length"]]).toEqual([200, 0, "17"]);
  });
});

describe("template path parameters and file errors under middleware", () => {
  it("gives string path parameters when the route declares no path schemas", async () => {
    const app = new Velox({ logger: false });
    app.get("/files/{owner}/{file_path:path}", {}, ({ path }) => path);
    const res = await new TestClient(app).get("/files/ada/a/b/c.txt");
    expect(res.json()).toEqual({ owner: "ada", file_path: "a/b/c.txt" });
  });

  it("routes a response that fails while writing through the exception handlers, also under middleware", async () => {
    const { FileResponse } = await import("../src/index.ts");
    const app = new Velox({ logger: false });
    app.use(async (_ctx, next) => next());
    app.get("/missing", {}, () => new FileResponse("/nonexistent/file.txt"));
    const res = await new TestClient(app).get("/missing");
    expect(res.status).toBe(404);
  });

  it("accepts a JSON body with a UTF-8 byte order mark, like FastAPI", async () => {
    const app = new Velox({ logger: false });
    app.post("/b", { body: z.object({ a: z.int() }) }, ({ body }) => body);
    const res = await new TestClient(app).post("/b", { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]), headers: { "content-type": "application/json" } });
    expect(res.json()).toEqual({ a: 1 });
  });
});
