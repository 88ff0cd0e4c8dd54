/**
 * WebSocket apps served identically by node (`serve()` in the test process) and by Bun (host.ts
 * in a Bun process): a handshake with a bearer token and dependencies, validated messages, a room
 * on a Hub (optionally on Redis, for two processes), and a handler that outlives the shutdown's 1001.
 */
import { z } from "zod";
import { depends, HTTPException, JSONResponse, Velox } from "../../src/index.ts";
import { Hub, RedisHubAdapter, WebSocketBearer } from "../../src/websocket/index.ts";

const token = WebSocketBearer();
const user = depends({ deps: { token } }, function wsUser({ token: t }) {
  if (t === "banned") throw new HTTPException(403, "Banned");
  if (!t.startsWith("user-")) throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": "Bearer" });
  return { name: t.slice(5) };
});

const events: string[] = [];
const session = depends({}, function* wsSession() {
  events.push("session open");
  yield "s1";
  events.push("session closed");
});

/** The app; with `VELOX_WS_REDIS_PREFIX` set, its hub carries rooms across processes over Redis. */
export function websocketApp(): Velox {
  const app = new Velox({ logger: false });
  const prefix = process.env.VELOX_WS_REDIS_PREFIX;
  const hub = new Hub(prefix ? { adapter: new RedisHubAdapter({ prefix, url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" }) } : {});
  app.addHook("onClose", () => hub.close());
  // An app onRequest hook: it runs on handshakes too (before the dependencies), and may refuse them.
  app.addHook("onRequest", (ctx) => {
    const url = ctx.req.url ?? "";
    if (url.includes("hook=deny")) return new JSONResponse({ detail: "Denied by hook" }, { status: 403 });
    if (url.includes("hook=throw")) throw new Error("hook failed");
    ctx.state.hookTag = "tagged";
  });
  const hookTag = depends(function hookTag({ state }) {
    return String(state.hookTag);
  });
  app.ws("/ws/hooked", { deps: { hookTag } }, async (socket, { hookTag: tag }) => {
    await socket.send(JSON.stringify({ tag }));
    await socket.closed;
  });

  app.ws("/ws/echo/{room}", {
    path: { room: z.string().min(2).max(20) },
    deps: { user, session },
    message: z.object({ text: z.string().max(50) }),
    send: z.object({ echo: z.string(), user: z.string(), room: z.string(), runtime: z.string() }),
    limits: { rateLimit: { messages: 5, intervalMs: 60_000 } },
  }, async (socket, { path, user: u }) => {
    const runtime = typeof (globalThis as { Bun?: unknown }).Bun === "undefined" ? "node" : "bun";
    for await (const message of socket) await socket.send({ echo: message.text, user: u.name, room: path.room, runtime, extra: "filtered out" } as never);
  });

  app.ws("/ws/strict", { message: z.object({ n: z.int() }), onInvalidMessage: "close", limits: { maxPayload: 1024 } }, async (socket) => {
    for await (const message of socket) await socket.send(JSON.stringify({ n: message.n * 2 }));
  });

  app.ws("/ws/rooms/{room}", { path: { room: z.string().max(20) }, query: { name: z.string().max(20) }, message: z.object({ text: z.string().max(100) }) }, async (socket, { path, query }) => {
    await hub.join(path.room, socket, query.name);
    await socket.send(JSON.stringify({ type: "ready" }));
    for await (const message of socket) await hub.broadcast(path.room, { from: query.name, text: message.text }, { except: socket });
  });

  app.ws("/ws/linger", {}, async (socket) => {
    const info = await socket.closed;
    events.push(`linger closed ${info.code}`);
  });

  app.get("/events", {}, () => events);
  app.get("/plain", {}, () => ({ ok: true }));
  return app;
}
