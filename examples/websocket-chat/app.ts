// A chat with rooms and presence in ~50 lines: `npx tsx examples/websocket-chat/app.ts`, then
// open two terminals with `npx wscat -c "ws://127.0.0.1:8000/ws/lobby?name=ada"` (and bob).
// With REDIS_URL set, rooms and presence span every worker and instance.
import { z } from "zod";
import { depends, HTTPException, Velox } from "velox";
import { hubFromEnv } from "velox/websocket";

const ChatIn = z.object({ content: z.string().min(1).max(2000) }).meta({ id: "ChatIn" });
const ChatEvent = z.object({
  type: z.enum(["message", "user_joined", "user_left"]),
  user: z.string(),
  content: z.string().optional(),
  users_count: z.int().optional(),
  timestamp: z.iso.datetime(),
}).meta({ id: "ChatEvent" });

export const hub = hubFromEnv({ message: ChatEvent, prefix: "example-chat" });
hub.onPresence((e) => {
  if (e.local) void hub.broadcast(e.room, { type: e.type === "joined" ? "user_joined" : "user_left", user: e.user, users_count: e.count, timestamp: new Date().toISOString() });
});

// A stand-in for real authentication (see apps/reference for JWTs): checked before the upgrade.
const nickname = depends({ query: { name: z.string().regex(/^\w{1,20}$/) } }, function nickname({ query }) {
  if (query.name === "root") throw new HTTPException(403, "That name is reserved");
  return query.name;
});

export const app = new Velox({ title: "WebSocket chat", version: "1.0.0" });
app.addHook("onReady", () => hub.start());
app.addHook("onClose", () => hub.close());

app.ws("/ws/{room}", { path: { room: z.string().max(50) }, deps: { name: nickname }, message: ChatIn, send: ChatEvent }, async (socket, { path, name }) => {
  await hub.join(path.room, socket, name);
  for await (const message of socket) {
    await hub.broadcast(path.room, { type: "message", user: name, content: message.content, timestamp: new Date().toISOString() });
  }
});

app.get("/rooms/{room}", { path: { room: z.string().max(50) } }, async ({ path }) => ({ room: path.room, users: await hub.members(path.room) }));

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await app.listen({ port: Number(process.env.PORT ?? 8000) });
  console.log(`Chat on ws://127.0.0.1:${(server.address() as { port: number }).port}/ws/{room}?name=… — AsyncAPI at /asyncapi`);
}
