import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, WebSocketRejected, type TestWebSocket } from "velox/testing";
import { createApp } from "../app.ts";
import type { Services } from "../services.ts";
import { testSettings } from "../testing/app-harness.ts";
import { deleteRedisPrefix, redisForTests } from "../testing/redis.ts";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

interface Instance {
  client: TestClient;
  services: Services;
}

async function instance(dbFile: string, env: Record<string, string> = {}): Promise<Instance> {
  const app = createApp({ settings: testSettings({ DATABASE_URL: `sqlite:${dbFile}`, ...env }), logger: false });
  const client = new TestClient(app);
  await client.start();
  return { client, services: app.state.services as Services };
}

async function tokenFor(t: Instance, username: string, scopes: string[] = ["read", "write"]): Promise<string> {
  const password = `pw-${username}-123456`;
  if ((await t.services.users.getByUsername(username)) === undefined) {
    await t.services.users.create({ username, email: `${username}@example.com`, hashedPassword: await t.services.passwords.hash(password), scopes });
  }
  const res = await t.client.post("/auth/token", { form: { username, password } });
  expect(res.status).toBe(200);
  return res.json<{ access_token: string }>().access_token;
}

/** Reads events until one matches (presence events may interleave with messages). */
async function until(ws: TestWebSocket, match: (e: any) => boolean): Promise<any> {
  for (;;) {
    const event = await ws.receiveJson();
    if (match(event)) return event;
  }
}

describe("seed case 3: chat rooms (in process, in-memory hub)", () => {
  const dir = mkdtempSync(join(tmpdir(), "velox-ref-chat-"));
  let t: Instance;
  beforeAll(async () => {
    t = await instance(join(dir, "app.db"));
  });
  afterAll(async () => {
    await t.client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("joins with the token in Sec-WebSocket-Protocol, sees presence with users_count and ISO timestamps, and exchanges messages", async () => {
    const ada = await t.client.websocket("/ws/lobby", { protocols: ["bearer", await tokenFor(t, "ada")] });
    expect(ada.protocol).toBe("bearer");
    const joined = await ada.receiveJson();
    expect(joined).toEqual({ type: "user_joined", room: "lobby", user: { username: "ada" }, users_count: 1, timestamp: expect.stringMatching(ISO) });

    const bob = await t.client.websocket("/ws/lobby", { query: { token: await tokenFor(t, "bob") } });
    expect(await until(ada, (e) => e.type === "user_joined")).toMatchObject({ user: { username: "bob" }, users_count: 2 });
    expect(await until(bob, (e) => e.type === "user_joined")).toMatchObject({ user: { username: "bob" }, users_count: 2 });

    ada.sendJson({ content: "hello bob" });
    const message = { type: "message", room: "lobby", user: { username: "ada" }, content: "hello bob", timestamp: expect.stringMatching(ISO) };
    expect(await until(bob, (e) => e.type === "message")).toEqual(message);
    expect(await until(ada, (e) => e.type === "message")).toEqual(message);

    const auth = { headers: { authorization: `Bearer ${await tokenFor(t, "ada")}` } };
    expect((await t.client.get("/rooms", auth)).json()).toEqual([{ room: "lobby", users_count: 2 }]);
    expect((await t.client.get("/rooms/lobby/users", auth)).json()).toEqual({ room: "lobby", users: ["ada", "bob"], users_count: 2 });

    await bob.close();
    expect(await until(ada, (e) => e.type === "user_left")).toEqual({ type: "user_left", room: "lobby", user: { username: "bob" }, users_count: 1, timestamp: expect.stringMatching(ISO) });
    expect((await t.client.get("/rooms/lobby/users", auth)).json().users).toEqual(["ada"]);
    await ada.close();
  });

  it("refuses before the upgrade: no token 401, a forged token 401, a bad room name 422; the HTTP routes need a token too", async () => {
    const none = await t.client.websocket("/ws/lobby").catch((e: unknown) => e as WebSocketRejected);
    expect(none).toBeInstanceOf(WebSocketRejected);
    expect((none as WebSocketRejected).status).toBe(401);
    const forged = await t.client.websocket("/ws/lobby", { protocols: ["bearer", "eyJhbGciOiJub25lIn0.e30."] }).catch((e: unknown) => e as WebSocketRejected);
    expect((forged as WebSocketRejected).status).toBe(401);
    const token = await tokenFor(t, "cy");
    const badRoom = await t.client.websocket("/ws/no%20spaces", { query: { token } }).catch((e: unknown) => e as WebSocketRejected);
    expect((badRoom as WebSocketRejected).status).toBe(422);
    expect((await t.client.get("/rooms")).status).toBe(401);
  });

  it("a message over 2000 characters, or with extra fields, gets an error frame and the connection stays", async () => {
    const ws = await t.client.websocket("/ws/limits", { query: { token: await tokenFor(t, "dee") } });
    await until(ws, (e) => e.type === "user_joined");
    ws.sendJson({ content: "x".repeat(2001) });
    expect((await ws.receiveJson()).detail[0]).toMatchObject({ type: "string_too_long", loc: ["message", "content"] });
    ws.sendJson({ content: "hi", admin: true });
    expect((await ws.receiveJson()).detail[0].type).toBe("extra_forbidden");
    ws.sendJson({ content: "x".repeat(2000) });
    expect((await until(ws, (e) => e.type === "message")).content).toHaveLength(2000);
    await ws.close();
  });

  it("documents the room in AsyncAPI and serves the chat page", async () => {
    const doc = (await t.client.get("/asyncapi.json")).json();
    expect(doc.channels.ws_room.address).toBe("/ws/{room}");
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["ChatIn", "ChatEvent"]));
    const page = await t.client.get("/chat/");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Velox chat");
  });
});

const redis = await redisForTests();

describe.skipIf(redis.skip)("seed case 3 across two instances sharing Redis", () => {
  const dir = mkdtempSync(join(tmpdir(), "velox-ref-chat2-"));
  const prefix = `velox-test:chat:${randomBytes(6).toString("hex")}`;
  let a: Instance;
  let b: Instance;
  beforeAll(async () => {
    const env = { REDIS_URL: redis.url, CHAT_REDIS_PREFIX: prefix };
    a = await instance(join(dir, "app.db"), env);
    b = await instance(join(dir, "app.db"), env);
  });
  afterAll(async () => {
    await a?.client.close();
    await b?.client.close();
    await deleteRedisPrefix(redis.url, prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it("messages and presence cross instances; GET /rooms/{room}/users on either lists everyone", async () => {
    const ada = await a.client.websocket("/ws/x", { query: { token: await tokenFor(a, "ada") } });
    await until(ada, (e) => e.type === "user_joined");
    const bob = await b.client.websocket("/ws/x", { query: { token: await tokenFor(b, "bob") } });
    expect(await until(ada, (e) => e.type === "user_joined")).toMatchObject({ user: { username: "bob" }, users_count: 2 });
    bob.sendJson({ content: "from b" });
    expect(await until(ada, (e) => e.type === "message")).toMatchObject({ user: { username: "bob" }, content: "from b" });
    const auth = { headers: { authorization: `Bearer ${await tokenFor(a, "ada")}` } };
    expect((await a.client.get("/rooms/x/users", auth)).json().users).toEqual(["ada", "bob"]);
    await bob.close();
    expect(await until(ada, (e) => e.type === "user_left")).toMatchObject({ user: { username: "bob" }, users_count: 1 });
    await ada.close();
  });
});
