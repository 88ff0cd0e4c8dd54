import { describe, expect, it } from "vitest";
import { silentLogger } from "../logger.ts";
import { WebSocketDisconnect } from "../websocket/close-codes.ts";
import { WebSocketEngine } from "../websocket/engine.ts";
import { compileCodec } from "../websocket/message-codec.ts";
import { resolveLimits } from "../websocket/options.ts";
import { TestClient } from "./test-client.ts";
import { WebSocketRejected } from "./websocket-session.ts";

function fakeApp() {
  const engine = new WebSocketEngine(silentLogger);
  const route = engine.compile({
    where: "WS /echo",
    limits: resolveLimits("WS /echo"),
    codec: compileCodec(undefined, undefined),
    onInvalidMessage: "error",
    subprotocols: ["chat.v1"],
    handler: async (socket, ctx: { cookie: string | undefined; url: string }) => {
      await socket.send(JSON.stringify({ cookie: ctx.cookie ?? null, url: ctx.url, protocol: socket.protocol }));
      for await (const m of socket) {
        if (m === "bye") return socket.close(4000, "bye");
        await socket.send(m as string);
      }
    },
  });
  return {
    handler: () => undefined,
    ready: async () => undefined,
    close: async () => {
      await engine.shutdown(Date.now() + 500);
    },
    upgrade: (req: any, socket: any, head: Buffer) =>
      engine.upgrade(route, req, socket, head, (r) =>
        r.headers.authorization === "no"
          ? { ok: false, status: 401, headers: { "www-authenticate": "Bearer" }, body: '{"detail":"Not authenticated"}' }
          : { ok: true, ctx: { cookie: r.headers.cookie, url: r.url ?? "" } }),
  };
}

describe("TestClient.websocket (in process)", () => {
  it("opens a connection with query, cookies and subprotocols; sends and receives; sees the close code", async () => {
    const client = new TestClient(fakeApp());
    client.cookies.set("session", "abc");
    const ws = await client.websocket("/echo", { query: { a: 1 }, protocols: ["chat.v1"] });
    expect(await ws.receiveJson()).toEqual({ cookie: "session=abc", url: "/echo?a=1", protocol: "chat.v1" });
    ws.send("ping");
    expect(await ws.receiveText()).toBe("ping");
    ws.send(Buffer.from([1, 2, 3]));
    expect(await ws.receive()).toEqual(Buffer.from([1, 2, 3]));
    ws.send("bye");
    expect(await ws.closed).toEqual({ code: 4000, reason: "bye" });
    await expect(ws.receive()).rejects.toBeInstanceOf(WebSocketDisconnect);
    await client.close();
  });

  it("a refused handshake rejects with WebSocketRejected carrying status, headers and body", async () => {
    const client = new TestClient(fakeApp());
    const err = await client.websocket("/echo", { headers: { authorization: "no" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebSocketRejected);
    expect((err as WebSocketRejected).status).toBe(401);
    expect((err as WebSocketRejected).headers["www-authenticate"]).toBe("Bearer");
    expect((err as WebSocketRejected).json()).toEqual({ detail: "Not authenticated" });
    await client.close();
  });

  it("client.close() closes the WebSockets it opened", async () => {
    const client = new TestClient(fakeApp());
    const ws = await client.websocket("/echo");
    await client.close();
    expect((await ws.closed).code).toBe(1000);
  });
});
