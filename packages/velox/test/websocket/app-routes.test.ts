import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { depends, HTTPException, Router, Velox, VeloxError } from "../../src/index.ts";
import { TestClient, WebSocketRejected } from "../../src/testing/index.ts";
import { WebSocketBearer, WebSocketDisconnect } from "../../src/websocket/index.ts";
import { asyncapiErrors } from "./asyncapi-tools.ts";

const clients: TestClient[] = [];
function client(app: Velox): TestClient {
  const c = new TestClient(app);
  clients.push(c);
  return c;
}
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

async function rejected(p: Promise<unknown>): Promise<WebSocketRejected> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(WebSocketRejected);
  return err as WebSocketRejected;
}

const token = WebSocketBearer();
const user = depends({ deps: { token } }, function wsUser({ token: t }) {
  if (t === "banned") throw new HTTPException(403, "Banned");
  if (t !== "good") throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": "Bearer" });
  return { name: "ada" };
});

describe("app.ws: typed handshake inputs, dependencies and security before the upgrade", () => {
  it("coerces and validates path and query; a bad one is a 422 in FastAPI's shape, never an upgrade", async () => {
    const app = new Velox({ logger: false });
    app.ws("/rooms/{id}", { path: { id: z.int().min(1) }, query: { limit: z.int().max(10).default(5) } }, async (socket, { path, query }) => {
      await socket.send(JSON.stringify({ id: path.id, limit: query.limit, types: [typeof path.id, typeof query.limit] }));
    });
    const c = client(app);
    const ws = await c.websocket("/rooms/7", { query: { limit: 3 } });
    expect(await ws.receiveJson()).toEqual({ id: 7, limit: 3, types: ["number", "number"] });
    expect((await ws.closed).code).toBe(1000);
    const err = await rejected(c.websocket("/rooms/abc", { query: { limit: 99 } }));
    expect(err.status).toBe(422);
    expect(err.json().detail.map((d: { type: string; loc: unknown[] }) => [d.type, d.loc])).toEqual([
      ["int_parsing", ["path", "id"]],
      ["less_than_equal", ["query", "limit"]],
    ]);
  });

  it("a security scheme answers 401/403 over HTTP before the upgrade; the handler never runs", async () => {
    const app = new Velox({ logger: false });
    let ran = 0;
    app.ws("/secure", { deps: { user } }, async (socket, { user: u }) => {
      ran++;
      await socket.send(JSON.stringify({ hello: u.name, protocol: socket.protocol }));
    });
    const c = client(app);
    const missing = await rejected(c.websocket("/secure"));
    expect(missing.status).toBe(401);
    expect(missing.headers["www-authenticate"]).toBe("Bearer");
    expect(missing.json()).toEqual({ detail: "Not authenticated" });
    expect((await rejected(c.websocket("/secure", { query: { token: "bad" } }))).status).toBe(401);
    expect((await rejected(c.websocket("/secure", { protocols: ["bearer", "banned"] }))).status).toBe(403);
    expect(ran).toBe(0);
    const viaProtocol = await c.websocket("/secure", { protocols: ["bearer", "good"] });
    expect(await viaProtocol.receiveJson()).toEqual({ hello: "ada", protocol: "bearer" });
    const viaQuery = await c.websocket("/secure", { query: { token: "good" } });
    expect((await viaQuery.receiveJson()).hello).toBe("ada");
    const viaHeader = await c.websocket("/secure", { headers: { authorization: "Bearer good" } });
    expect((await viaHeader.receiveJson()).hello).toBe("ada");
    expect(ran).toBe(3);
  });

  it("request-scoped dependencies live for the connection and are cleaned up when it ends", async () => {
    const events: string[] = [];
    const session = depends(async function* session() {
      events.push("open");
      try {
        yield { id: 1 };
      } finally {
        events.push("cleanup");
      }
    });
    const app = new Velox({ logger: false });
    app.ws("/s", { deps: { session } }, async (socket, { session: s }) => {
      for await (const m of socket) {
        events.push(`message ${String(m)} with session ${s.id}`);
        await socket.send("ok");
      }
      events.push("handler done");
    });
    const ws = await client(app).websocket("/s");
    ws.send("a");
    await ws.receive();
    expect(events).toEqual(["open", "message a with session 1"]);
    await ws.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(["open", "message a with session 1", "handler done", "cleanup"]);
  });

  it("message and send schemas: inbound validated (error frame), outbound validated and filtered like a response model", async () => {
    const app = new Velox({ logger: false });
    const In = z.object({ content: z.string().max(5) });
    const Out = z.object({ echo: z.string() });
    app.ws("/chat", { message: In, send: Out }, async (socket) => {
      for await (const m of socket) {
        if (m.content === "bad") await socket.send({ echo: 42 } as never);
        await socket.send({ echo: m.content, secret: "never" } as { echo: string });
      }
    });
    const ws = await client(app).websocket("/chat");
    ws.sendJson({ content: "toolong" });
    expect((await ws.receiveJson()).detail[0]).toMatchObject({ type: "string_too_long", loc: ["message", "content"] });
    ws.sendJson({ content: "hi" });
    expect(await ws.receiveJson()).toEqual({ echo: "hi" });
    ws.sendJson({ content: "bad" });
    expect((await ws.closed).code).toBe(1011);
  });

  it("the test client applies dependency overrides to WebSocket routes", async () => {
    const app = new Velox({ logger: false });
    app.ws("/me", { deps: { user } }, async (socket, { user: u }) => socket.send(JSON.stringify(u)));
    app.overrides.set(user, depends(() => ({ name: "test-user" })));
    const ws = await client(app).websocket("/me");
    expect(await ws.receiveJson()).toEqual({ name: "test-user" });
  });

  it("router.ws: prefix, router dependencies and tags through include", async () => {
    const seen: string[] = [];
    const audit = depends(function audit({ req }) {
      seen.push(req.url ?? "");
    });
    const router = new Router({ prefix: "/live", dependencies: [audit], tags: ["live"] });
    router.ws("/feed/{topic}", {}, async (socket, { path }) => socket.send(`topic ${path.topic}`));
    const app = new Velox({ logger: false });
    app.include(router, { prefix: "/v1" });
    const ws = await client(app).websocket("/v1/live/feed/news");
    expect(await ws.receiveText()).toBe("topic news");
    expect(seen).toEqual(["/v1/live/feed/news"]);
    expect(app.wsRecords[0]!.tags).toEqual(["live"]);
  });

  it("misuse fails at registration with stable codes", () => {
    const app = new Velox({ logger: false });
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as VeloxError).code;
      }
      return null;
    };
    expect(code(() => app.ws("/a", { body: z.object({}) } as never, () => undefined))).toBe("VX_BODY_NOT_ALLOWED");
    expect(code(() => app.ws("/a", { nope: 1 } as never, () => undefined))).toBe("VX_UNKNOWN_OPTION");
    expect(code(() => app.ws("/a/{x}", { path: { y: z.string() } } as never, () => undefined))).toBe("VX_UNKNOWN_PATH_PARAM");
    app.ws("/dup/{a}", () => undefined);
    expect(code(() => app.ws("/dup/{b}", () => undefined))).toBe("VX_DUPLICATE_ROUTE");
  });

  it("a handler that ends closes with 1000; receive() after the close raises WebSocketDisconnect with the code", async () => {
    const app = new Velox({ logger: false });
    const seen: unknown[] = [];
    app.ws("/bye", {}, async (socket) => {
      try {
        for (;;) await socket.receive();
      } catch (err) {
        seen.push(err instanceof WebSocketDisconnect ? err.code : err);
      }
    });
    const ws = await client(app).websocket("/bye");
    await ws.close(4001, "done");
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([4001]);
  });

  it("serves an AsyncAPI 3.0 document of the routes that the independent parser accepts, and its page", async () => {
    const app = new Velox({ title: "Chat", version: "2.0.0", logger: false });
    app.ws("/ws/{room}", { path: { room: z.string().max(50) }, deps: { user }, message: z.object({ content: z.string() }).meta({ id: "ChatIn" }), send: z.object({ content: z.string() }).meta({ id: "ChatOut" }), summary: "Chat room" }, () => undefined);
    app.ws("/hidden", { includeInSchema: false }, () => undefined);
    const c = client(app);
    const res = await c.get("/asyncapi.json");
    expect(res.status).toBe(200);
    const doc = res.json();
    expect(Object.keys(doc.channels)).toEqual(["ws_room"]);
    expect(doc.components.securitySchemes.WebSocketBearer).toEqual({ type: "http", scheme: "bearer" });
    expect(doc.channels.ws_room.messages.ws_room_in.payload).toEqual({ $ref: "#/components/schemas/ChatIn" });
    expect(await asyncapiErrors(doc)).toEqual([]);
    const page = await c.get("/asyncapi");
    expect(page.status).toBe(200);
    expect(page.text).toContain("/ws/{room}");
    expect(page.text).toContain("ChatIn");
    // Neither the WebSocket route nor the AsyncAPI routes show up in OpenAPI.
    const openapi = (await c.get("/openapi.json")).json();
    expect(Object.keys(openapi.paths)).toEqual([]);
  });
});
