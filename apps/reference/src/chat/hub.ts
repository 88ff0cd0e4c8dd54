import type { Logger } from "velox";
import { hubFromEnv, type Hub } from "velox/websocket";
import { ChatEvent } from "../models/chat.ts";

/**
 * The chat's hub: over Redis when the app has a `REDIS_URL` (rooms and presence shared by every
 * worker and instance), in memory otherwise. Every event it broadcasts is validated against
 * `ChatEvent` once, whatever the number of receivers. Presence changes become `user_joined` /
 * `user_left` events, sent once by the process where the change happened (or which reaped a
 * crashed instance's members).
 *
 * @example
 * ```ts
 * const hub = createChatHub(settings.redisUrl, app.logger);
 * await hub.start();
 * ```
 */
export function createChatHub(redisUrl: string | undefined, logger: Logger, prefix = "velox-reference:chat"): Hub {
  const hub = hubFromEnv({ ...(redisUrl ? { url: redisUrl } : {}), prefix, message: ChatEvent, logger });
  hub.onPresence((event) => {
    if (!event.local) return;
    const sent = hub.broadcast(event.room, {
      type: event.type === "joined" ? "user_joined" : "user_left",
      room: event.room,
      user: { username: event.user },
      users_count: event.count,
      timestamp: new Date().toISOString(),
    });
    if (sent instanceof Promise) sent.catch((err: unknown) => logger.error({ err }, "chat presence event failed"));
  });
  return hub;
}
