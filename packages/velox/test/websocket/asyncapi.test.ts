import { describe, expect, it } from "vitest";
import { z } from "zod";
import { generateAsyncAPI } from "../../src/websocket/asyncapi.ts";
import { asyncapiErrors } from "./asyncapi-tools.ts";

const ChatIn = z.object({ content: z.string().min(1).max(2000) }).meta({ id: "ChatIn" });
const User = z.object({ id: z.int(), username: z.string() }).meta({ id: "ChatUser" });
const ChatEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message"), user: User, content: z.string(), timestamp: z.iso.datetime() }),
  z.object({ type: z.literal("user_joined"), user: User, users_count: z.int(), timestamp: z.iso.datetime() }),
]).meta({ id: "ChatEvent" });

describe("AsyncAPI 3.0 generator", () => {
  const doc = generateAsyncAPI({ title: "Chat", version: "1.0.0", servers: { local: { host: "127.0.0.1:8000", protocol: "ws" } } }, [{
    template: "/ws/{room}",
    name: "chat",
    summary: "A chat room",
    tags: ["chat"],
    parameters: (r) => [
      { name: "room", in: "path", required: true, schema: r.use(z.string().max(50).describe("Room name"), "input") },
      { name: "token", in: "query", required: false, schema: r.use(z.string().optional(), "input") },
    ],
    inbound: ChatIn,
    outbound: ChatEvent,
    security: { requirements: [{ OAuth2PasswordBearer: ["read"] }], schemes: { OAuth2PasswordBearer: { type: "oauth2", flows: { password: { tokenUrl: "auth/token", scopes: { read: "Read" } } } } } },
    onInvalidMessage: "error",
  }, {
    template: "/echo",
    name: "echo",
    parameters: () => [],
    security: { requirements: [], schemes: {} },
    onInvalidMessage: "close",
  }]);

  it("is valid for the independent @asyncapi/parser", async () => {
    expect(await asyncapiErrors(doc)).toEqual([]);
  });

  it("documents channels, parameters, bindings, messages, operations and security from the schemas", () => {
    expect(doc.asyncapi).toBe("3.0.0");
    const channel = doc.channels.ws_room;
    expect(channel.address).toBe("/ws/{room}");
    expect(channel.parameters).toEqual({ room: { description: "Room name" } });
    expect(channel.bindings.ws.query).toEqual({ type: "object", properties: { token: { type: "string" } } });
    expect(channel.messages.ws_room_in.payload).toEqual({ $ref: "#/components/schemas/ChatIn" });
    expect(channel.messages.ws_room_out.payload).toEqual({ $ref: "#/components/schemas/ChatEvent" });
    expect(doc.components.schemas.ChatIn.properties.content).toMatchObject({ type: "string", maxLength: 2000 });
    expect(doc.operations.receive_ws_room).toMatchObject({ action: "receive", messages: [{ $ref: "#/channels/ws_room/messages/ws_room_in" }] });
    expect(doc.operations.send_ws_room.messages).toEqual([{ $ref: "#/channels/ws_room/messages/ws_room_out" }, { $ref: "#/channels/ws_room/messages/ws_room_error" }]);
    expect(doc.operations.send_ws_room.security).toEqual([{ $ref: "#/components/securitySchemes/OAuth2PasswordBearer" }]);
    expect(doc.components.securitySchemes.OAuth2PasswordBearer.flows.password).toEqual({ tokenUrl: "http://127.0.0.1:8000/auth/token", availableScopes: { read: "Read" } });
    expect(doc.channels.echo.messages).toEqual({});
  });

  it("fails the parser when broken (the check can fail)", async () => {
    const broken = structuredClone(doc);
    broken.operations.receive_ws_room.channel = { $ref: "#/channels/nope" };
    expect((await asyncapiErrors(broken)).length).toBeGreaterThan(0);
  });
});
