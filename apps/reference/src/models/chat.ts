import { z } from "zod";

/** What a client sends in a room: one message of at most 2000 characters. */
export const ChatIn = z.object({ content: z.string().min(1).max(2000) }).strict().meta({ id: "ChatIn" });

const ChatUser = z.object({ username: z.string() }).meta({ id: "ChatUser" });
const timestamp = z.iso.datetime({ offset: true }).describe("ISO 8601 time the server sent the event");

/**
 * What the server sends in a room: messages, and presence changes with the room's distinct user
 * count, each with an ISO timestamp — the seed's event shapes.
 */
export const ChatEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message"), room: z.string(), user: ChatUser, content: z.string(), timestamp }),
  z.object({ type: z.literal("user_joined"), room: z.string(), user: ChatUser, users_count: z.int().min(0), timestamp }),
  z.object({ type: z.literal("user_left"), room: z.string(), user: ChatUser, users_count: z.int().min(0), timestamp }),
]).meta({ id: "ChatEvent" });

/** A room with people in it, for `GET /rooms`. */
export const RoomOut = z.object({ room: z.string(), users_count: z.int() }).meta({ id: "Room" });

/** Who is in a room, for `GET /rooms/{room}/users`. */
export const RoomUsersOut = z.object({ room: z.string(), users: z.array(z.string()), users_count: z.int() }).meta({ id: "RoomUsers" });

/** Room names: short, and safe as a Redis channel suffix and in a URL. */
export const roomName = z.string().min(1).max(50).regex(/^[\w.-]+$/);
