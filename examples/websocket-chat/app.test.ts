import { afterAll, describe, expect, it } from "vitest";
import { TestClient, WebSocketRejected } from "velox/testing";
import { app } from "./app.ts";

const client = new TestClient(app);
afterAll(() => client.close());

describe("websocket-chat example", () => {
  it("joins a room, sees presence, and broadcasts messages to everyone in it", async () => {
    const ada = await client.websocket("/ws/lobby", { query: { name: "ada" } });
    expect(await ada.receiveJson()).toMatchObject({ type: "user_joined", user: "ada", users_count: 1 });
    const bob = await client.websocket("/ws/lobby", { query: { name: "bob" } });
    expect(await ada.receiveJson()).toMatchObject({ type: "user_joined", user: "bob", users_count: 2 });
    expect(await bob.receiveJson()).toMatchObject({ type: "user_joined", user: "bob", users_count: 2 });

    bob.sendJson({ content: "hi ada" });
    expect(await ada.receiveJson()).toMatchObject({ type: "message", user: "bob", content: "hi ada" });
    expect(await bob.receiveJson()).toMatchObject({ type: "message", user: "bob", content: "hi ada" });
    expect((await client.get("/rooms/lobby")).json()).toEqual({ room: "lobby", users: ["ada", "bob"] });

    await bob.close();
    expect(await ada.receiveJson()).toMatchObject({ type: "user_left", user: "bob", users_count: 1 });
    await ada.close();
  });

  it("refuses before the upgrade: a reserved name is 403, a missing one 422", async () => {
    const reserved = await client.websocket("/ws/lobby", { query: { name: "root" } }).catch((e: unknown) => e);
    expect((reserved as WebSocketRejected).status).toBe(403);
    const missing = await client.websocket("/ws/lobby").catch((e: unknown) => e);
    expect((missing as WebSocketRejected).status).toBe(422);
  });

  it("documents the room in AsyncAPI", async () => {
    const doc = (await client.get("/asyncapi.json")).json();
    expect(doc.channels.ws_room.bindings.ws.query.properties.name).toMatchObject({ type: "string" });
  });
});
