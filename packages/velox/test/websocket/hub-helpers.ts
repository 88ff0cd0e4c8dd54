import type { Hub } from "../../src/websocket/hub.ts";
import { serveEngine, type EngineServer } from "./engine-server.ts";
import { TestWs } from "./ws-client.ts";

/**
 * A chat-shaped server on a hub: `?room=&user=` joins, each text message is broadcast to the
 * room (except the sender) as `{ from, text }`; `{"to": user, "text"}` goes to a user instead.
 */
export async function serveHub(hub: Hub): Promise<EngineServer & { connect(room: string, user: string): Promise<TestWs> }> {
  const served = await serveEngine(async (socket, ctx) => {
    const params = new URL(ctx.url, "http://x").searchParams;
    const room = params.get("room")!;
    const user = params.get("user")!;
    await hub.join(room, socket, user);
    await socket.send(JSON.stringify({ joined: room }));
    for await (const raw of socket) {
      const m = JSON.parse(String(raw)) as { to?: string; text: string };
      if (m.to) await hub.sendToUser(m.to, { from: user, text: m.text });
      else await hub.broadcast(room, { from: user, text: m.text }, { except: socket });
    }
  });
  return Object.assign(served, {
    async connect(room: string, user: string) {
      const client = await TestWs.open(`${served.url}/ws?room=${encodeURIComponent(room)}&user=${encodeURIComponent(user)}`);
      await client.nextJson();
      return client;
    },
  });
}

/** Polls `check` until it returns true (or fails after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
