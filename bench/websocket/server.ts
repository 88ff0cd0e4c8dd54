// One fan-out server of the WebSocket bench (workload 7), chosen by --impl:
//   plain    ws with a send loop over the room's clients (JSON.stringify once, ws.send per client)
//   velox    Velox's engine and Hub (encode and frame once), with --redis for the Redis adapter
//   velox-app  the same through a Velox app's app.ws route (the core solves each handshake)
//   socketio Socket.IO rooms (io.to(room).emit), with --redis for @socket.io/redis-adapter
// Subscribers connect to /ws?room=bench; the publisher to /ws?room=bench&role=pub and every
// message it sends is broadcast to the room. Prints "listening <port>" when ready.
// EXP_HANDLER=lean makes the velox and velox-app subscriber handlers a promise chain instead of
// an async function, EXP_NOHUB=1 leaves the hub out (idle-memory analysis); GET /snapshot writes a heap
// snapshot to /tmp.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { WebSocketServer, type WebSocket } from "ws";

const { values } = parseArgs({
  options: {
    impl: { type: "string" },
    port: { type: "string", default: "0" },
    redis: { type: "string" },
    prefix: { type: "string", default: "velox-bench:ws" },
  },
});

const port = Number(values.port);
const params = (req: IncomingMessage) => new URL(req.url ?? "/", "http://x").searchParams;

async function plain(): Promise<ReturnType<typeof createServer>> {
  const server = createServer();
  const wss = new WebSocketServer({ server, maxPayload: 64 * 1024 });
  const rooms = new Map<string, Set<WebSocket>>();
  wss.on("connection", (ws, req) => {
    const p = params(req);
    const room = p.get("room") ?? "bench";
    if (p.get("role") === "pub") {
      ws.on("message", (data) => {
        const text = JSON.stringify({ type: "message", data: JSON.parse(data.toString()) });
        for (const c of rooms.get(room) ?? []) c.send(text);
      });
      return;
    }
    let set = rooms.get(room);
    if (!set) rooms.set(room, (set = new Set()));
    set.add(ws);
    ws.on("close", () => set.delete(ws));
  });
  return server;
}

async function velox(): Promise<ReturnType<typeof createServer>> {
  const { silentLogger } = await import("../../packages/velox/src/logger.ts");
  const { WebSocketEngine } = await import("../../packages/velox/src/websocket/engine.ts");
  const { compileCodec } = await import("../../packages/velox/src/websocket/message-codec.ts");
  const { resolveLimits } = await import("../../packages/velox/src/websocket/options.ts");
  const { Hub, RedisHubAdapter } = await import("../../packages/velox/src/websocket/index.ts");
  const adapter = values.redis ? new RedisHubAdapter({ url: values.redis, prefix: values.prefix }) : undefined;
  const hub = new Hub({ adapter });
  await hub.start();
  const engine = new WebSocketEngine(silentLogger);
  const route = engine.compile({
    where: "WS /ws",
    limits: resolveLimits("WS /ws", { rateLimit: false, origins: "*" }),
    codec: compileCodec(undefined, undefined),
    onInvalidMessage: "error",
    subprotocols: [],
    handler: process.env.EXP_HANDLER === "lean" ? (socket: any, ctx: { room: string; pub: boolean }) => hub.join(ctx.room, socket).then(() => socket.closed) : async (socket, ctx: { room: string; pub: boolean }) => {
      if (!ctx.pub) {
        if (process.env.EXP_NOHUB !== "1") await hub.join(ctx.room, socket);
        await socket.closed;
        return;
      }
      for await (const m of socket) hub.broadcast(ctx.room, { type: "message", data: JSON.parse(String(m)) });
    },
  });
  const server = createServer();
  server.on("upgrade", (req, socket, head) =>
    engine.upgrade(route, req, socket, head, (r) => ({ ok: true, ctx: { room: params(r).get("room") ?? "bench", pub: params(r).get("role") === "pub" } })));
  return server;
}

async function socketio(): Promise<ReturnType<typeof createServer>> {
  const { Server } = await import("socket.io");
  const server = createServer();
  const io = new Server(server, { transports: ["websocket"], serveClient: false, perMessageDeflate: false });
  if (values.redis) {
    const { createAdapter } = await import("@socket.io/redis-adapter");
    const { Redis } = await import("ioredis");
    const pub = new Redis(values.redis);
    io.adapter(createAdapter(pub, pub.duplicate(), { key: values.prefix }));
  }
  io.on("connection", (socket) => {
    const q = socket.handshake.query;
    const room = typeof q.room === "string" ? q.room : "bench";
    if (q.role === "pub") socket.on("msg", (data: unknown) => void io.to(room).emit("msg", { type: "message", data }));
    else void socket.join(room);
  });
  return server;
}

// The same fan-out through a Velox app: app.ws (handshake solved by the core, a request context
// per connection) instead of the engine alone.
async function veloxApp(): Promise<ReturnType<typeof createServer>> {
  const { Velox } = await import("../../packages/velox/src/index.ts");
  const { Hub, RedisHubAdapter } = await import("../../packages/velox/src/websocket/index.ts");
  const { z } = await import("zod");
  const hub = new Hub({ adapter: values.redis ? new RedisHubAdapter({ url: values.redis, prefix: values.prefix }) : undefined });
  await hub.start();
  const app = new Velox({ logger: false, websocket: { limits: { rateLimit: false, origins: "*" } } });
  const publish = async (socket: AsyncIterable<unknown>, room: string) => {
    for await (const m of socket) hub.broadcast(room, { type: "message", data: JSON.parse(String(m)) });
  };
  const query = { room: z.string().default("bench"), role: z.string().optional() };
  if (process.env.EXP_HANDLER === "lean") {
    // A promise-chain handler: no suspended async function (and so no context) per connection.
    app.ws("/ws", { query }, (socket, { query: q }) => (q.role !== "pub" ? hub.join(q.room, socket).then(() => socket.closed) : publish(socket, q.room)));
  } else {
    app.ws("/ws", { query }, async (socket, { query: q }) => {
      if (q.role !== "pub") {
        await hub.join(q.room, socket);
        await socket.closed;
        return;
      }
      await publish(socket, q.room);
    });
  }
  await app.ready();
  // /stats and /snapshot are answered below, outside the app.
  const server = createServer((req, res) => {
    if (req.url !== "/stats" && !req.url?.startsWith("/snapshot")) void app.handler(req, res);
  });
  server.on("upgrade", app.upgrade);
  return server;
}

const make = { plain, velox, socketio, "velox-app": veloxApp }[values.impl as "plain" | "velox" | "socketio" | "velox-app"];
if (!make) throw new Error("--impl plain|velox|velox-app|socketio");
const server = await make();
// GET /stats: collects garbage (when run with --expose-gc) and answers the memory figures.
server.on("request", async (req, res) => {
  if (req.url?.startsWith("/snapshot")) {
    (globalThis as { gc?: () => void }).gc?.();
    const { writeHeapSnapshot } = await import("node:v8");
    res.end(writeHeapSnapshot(`/tmp/ws-${values.impl}-${Date.now()}.heapsnapshot`));
    return;
  }
  if (req.url !== "/stats") return;
  (globalThis as { gc?: () => void }).gc?.();
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(process.memoryUsage()));
});
server.listen(port, "127.0.0.1", () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => process.exit(0));
