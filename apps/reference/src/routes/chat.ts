import { Router, security } from "velox";
import type { Hub } from "velox/websocket";
import { z } from "zod";
import { ChatEvent, ChatIn, RoomOut, RoomUsersOut, roomName } from "../models/chat.ts";
import { activeUser, chatUser } from "../web/security.ts";

/**
 * Seed case 3, chat rooms with presence: `WS /ws/{room}` (the access token checked before the
 * upgrade; messages `{ content }` of at most 2000 characters; events `message`, `user_joined`,
 * `user_left` with `users_count` and ISO timestamps), `GET /rooms` and `GET /rooms/{room}/users`.
 * The hub carries rooms and presence across workers and instances when it runs over Redis.
 *
 * @example
 * ```ts
 * app.include(chatRouter(createChatHub(settings.redisUrl, app.logger)));
 * ```
 */
export function chatRouter(hub: Hub): Router {
  const router = new Router({ tags: ["chat"] });

  router.ws("/ws/{room}", {
    path: { room: roomName },
    deps: { user: security(chatUser, ["read"]) },
    message: ChatIn,
    send: ChatEvent,
    summary: "A chat room",
    description: "Join with the access token (`Sec-WebSocket-Protocol: bearer, <token>` or `?token=`); send `{ content }`, receive messages and presence events.",
    limits: { rateLimit: { messages: 20, intervalMs: 1000 } },
  }, async function chatRoom(socket, { path, user }) {
    const room = path.room;
    await hub.join(room, socket, user.username);
    try {
      for await (const message of socket) {
        await hub.broadcast(room, { type: "message", room, user: { username: user.username }, content: message.content, timestamp: new Date().toISOString() });
      }
    } finally {
      await hub.leave(room, socket);
    }
  });

  router.get("/rooms", {
    deps: { user: security(activeUser, ["read"]) },
    response: z.array(RoomOut),
    summary: "Rooms with people in them",
  }, async () => (await hub.roomList()).map((r) => ({ room: r.room, users_count: r.count })));

  router.get("/rooms/{room}/users", {
    path: { room: roomName },
    deps: { user: security(activeUser, ["read"]) },
    response: RoomUsersOut,
    summary: "Who is in a room",
  }, async ({ path }) => {
    const users = await hub.members(path.room);
    return { room: path.room, users, users_count: users.length };
  });

  return router;
}
