import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ResponseValidationError } from "../../src/http-exception.ts";
import { Hub, type PresenceEvent } from "../../src/websocket/hub.ts";
import type { EngineServer } from "./engine-server.ts";
import { eventually, serveHub } from "./hub-helpers.ts";
import type { TestWs } from "./ws-client.ts";

const servers: EngineServer[] = [];
const clients: TestWs[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  for (const s of servers.splice(0)) await s.close();
});

async function setup(hub = new Hub()) {
  const served = await serveHub(hub);
  servers.push(served);
  const connect = async (room: string, user: string) => {
    const c = await served.connect(room, user);
    clients.push(c);
    return c;
  };
  return { hub, connect };
}

describe("Hub (in memory): rooms, presence, broadcast", () => {
  it("broadcasts to the room except the sender, and to nobody outside it", async () => {
    const { connect } = await setup();
    const ada = await connect("a", "ada");
    const bob = await connect("a", "bob");
    const eve = await connect("b", "eve");
    ada.send({ text: "hi" });
    expect(await bob.nextJson()).toEqual({ from: "ada", text: "hi" });
    expect(await ada.quiet()).toEqual([]);
    expect(await eve.quiet()).toEqual([]);
  });

  it("presence: members, counts by distinct user, joined/left events once per user", async () => {
    const { hub, connect } = await setup();
    const events: PresenceEvent[] = [];
    hub.onPresence((e) => events.push(e));
    const ada1 = await connect("a", "ada");
    const ada2 = await connect("a", "ada");
    await connect("a", "bob");
    expect(await hub.members("a")).toEqual(["ada", "bob"]);
    expect(await hub.count("a")).toBe(2);
    expect(await hub.roomList()).toEqual([{ room: "a", count: 2 }]);
    expect(events.map((e) => `${e.type} ${e.user} ${e.count}`)).toEqual(["joined ada 1", "joined bob 2"]);
    await ada1.close();
    await eventually(async () => (await hub.members("a")).length === 2 && events.length === 2);
    await ada2.close();
    await eventually(() => events.length === 3, 2000, "left event");
    expect(events[2]).toMatchObject({ type: "left", room: "a", user: "ada", count: 1, local: true });
    expect(await hub.members("a")).toEqual(["bob"]);
  });

  it("sendToUser reaches every connection of that user, in any room", async () => {
    const { connect } = await setup();
    const ada = await connect("a", "ada");
    const bob1 = await connect("a", "bob");
    const bob2 = await connect("z", "bob");
    ada.send({ to: "bob", text: "psst" });
    expect(await bob1.nextJson()).toEqual({ from: "ada", text: "psst" });
    expect(await bob2.nextJson()).toEqual({ from: "ada", text: "psst" });
  });

  it("a connection leaves its rooms when it closes; the room disappears with its last member", async () => {
    const { hub, connect } = await setup();
    const ada = await connect("a", "ada");
    expect(await hub.roomList()).toHaveLength(1);
    ada.ws.terminate();
    await eventually(async () => (await hub.roomList()).length === 0, 2000, "room removed");
  });

  it("a hub message schema validates and filters every broadcast once", async () => {
    const Event = z.object({ from: z.string(), text: z.string() });
    const hub = new Hub({ message: Event });
    const { connect } = await setup(hub);
    const a = await connect("r", "a");
    const b = await connect("r", "b");
    await hub.broadcast("r", { from: "x", text: "hello", secret: "never sent" });
    expect(await a.nextJson()).toEqual({ from: "x", text: "hello" });
    expect(await b.nextJson()).toEqual({ from: "x", text: "hello" });
    expect(() => hub.broadcast("r", { from: 1 })).toThrow(ResponseValidationError);
  });

  it("broadcast returns the local count and skips connections closed meanwhile", async () => {
    const { hub, connect } = await setup();
    await connect("r", "a");
    const b = await connect("r", "b");
    expect(await hub.broadcast("r", "x")).toBe(2);
    b.ws.terminate();
    await b.closed;
    await eventually(async () => (await hub.broadcast("r", "y")) === 1, 2000, "closed connection skipped");
  });
});
