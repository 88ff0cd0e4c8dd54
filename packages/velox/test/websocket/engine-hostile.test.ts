import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { WebSocketDisconnect } from "../../src/websocket/close-codes.ts";
import { serveEngine, type EngineHandler, type EngineServer, type EngineServerOptions } from "./engine-server.ts";
import { frame, handshake, socketClosed } from "./raw-ws.ts";

// The engine over a bare node server, with the hostile inputs of docs/hardening.md § WebSockets
// sent over raw sockets. Routing rows (426, 404/405) and security dependencies are tested through
// the app in app-hostile.test.ts.

const open: EngineServer[] = [];

async function serve(handler: EngineHandler, options: EngineServerOptions = {}): Promise<EngineServer> {
  const served = await serveEngine(handler, options);
  open.push(served);
  return served;
}

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

const echo: EngineHandler = async (socket) => {
  for await (const m of socket) await socket.send(m);
};

describe("WebSocket engine: hostile input over raw sockets", () => {
  it("echoes a well-formed message (the harness itself works)", async () => {
    const { port } = await serve(echo);
    const hs = await handshake(port, "/ws");
    expect(hs.status).toBe(101);
    hs.conn!.text("hello");
    expect((await hs.conn!.next()).payload.toString()).toBe("hello");
    hs.conn!.destroy();
  });

  it("2000 handshake headers (ws CVE-2024-37890): a clear 4xx, the server keeps serving", async () => {
    const { port } = await serve(echo);
    const junk = Array.from({ length: 2000 }, (_, i) => `x${i}: a`);
    const hs = await handshake(port, "/ws", { extraLines: junk });
    expect([400, 431]).toContain(hs.status);
    expect(await socketClosed(hs.socket)).toBe(true);
    const ok = await handshake(port, "/ws");
    expect(ok.status).toBe(101);
    ok.conn!.destroy();
  });

  it("malformed handshakes are answered by ws: bad key 400, bad version 400, POST 405", async () => {
    const { port } = await serve(echo);
    expect((await handshake(port, "/ws", { plain: true, extraLines: ["Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: short"] })).status).toBe(400);
    expect((await handshake(port, "/ws", { plain: true, extraLines: ["Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 7", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="] })).status).toBe(400);
    expect((await handshake(port, "/ws", { method: "POST" })).status).toBe(405);
  });

  it("a message over maxPayload closes with 1009", async () => {
    const { port } = await serve(echo, { limits: { maxPayload: 1024 } });
    const hs = await handshake(port, "/ws");
    hs.conn!.send(frame(1, "x".repeat(1025)));
    expect(await hs.conn!.closeCode()).toBe(1009);
  });

  it("the default maxPayload is 64 KiB: 64 KiB passes, one byte more is 1009", async () => {
    const { port } = await serve(echo);
    const hs = await handshake(port, "/ws");
    hs.conn!.send(frame(2, Buffer.alloc(64 * 1024, 1)));
    expect((await hs.conn!.next()).payload.length).toBe(64 * 1024);
    hs.conn!.send(frame(2, Buffer.alloc(64 * 1024 + 1, 1)));
    expect(await hs.conn!.closeCode()).toBe(1009);
  });

  it("a fragmented message whose fragments add up past maxPayload closes with 1009", async () => {
    const { port } = await serve(echo, { limits: { maxPayload: 1000 } });
    const hs = await handshake(port, "/ws");
    hs.conn!.send(frame(1, "a".repeat(600), { fin: false }));
    hs.conn!.send(frame(0, "a".repeat(600)));
    expect(await hs.conn!.closeCode()).toBe(1009);
  });

  it("invalid UTF-8 in a text frame closes with 1007", async () => {
    const { port } = await serve(echo);
    const hs = await handshake(port, "/ws");
    hs.conn!.send(frame(1, Buffer.from([0x68, 0xc3, 0x28])));
    expect(await hs.conn!.closeCode()).toBe(1007);
  });

  it.each([
    ["an unmasked client frame", frame(1, "hi", { mask: false })],
    ["reserved bits without an extension", frame(1, "hi", { rsv: 4 })],
    ["an unknown opcode", frame(3, "hi")],
    ["a fragmented control frame", frame(9, "hi", { fin: false })],
    ["a continuation without a start", frame(0, "hi")],
  ])("%s closes with 1002", async (_name, bytes) => {
    const { port } = await serve(echo);
    const hs = await handshake(port, "/ws");
    hs.conn!.send(bytes);
    expect(await hs.conn!.closeCode()).toBe(1002);
    await hs.conn!.closed();
  });

  it("Origin: same-origin by default, other origins get 403 and no upgrade, a list allows exactly its entries", async () => {
    const { port } = await serve(echo);
    const evil = await handshake(port, "/ws", { headers: { Origin: "https://evil.example" } });
    expect(evil.status).toBe(403);
    expect(await socketClosed(evil.socket)).toBe(true);
    const same = await handshake(port, "/ws", { headers: { Origin: `http://127.0.0.1:${port}` } });
    expect(same.status).toBe(101);
    same.conn!.destroy();
    const none = await handshake(port, "/ws");
    expect(none.status).toBe(101);
    none.conn!.destroy();

    const listed = await serve(echo, { limits: { origins: ["https://chat.example.com"] } });
    expect((await handshake(listed.port, "/ws", { headers: { Origin: "https://chat.example.com" } })).status).toBe(101);
    expect((await handshake(listed.port, "/ws", { headers: { Origin: `http://127.0.0.1:${listed.port}` } })).status).toBe(403);
  });

  it("auth before the upgrade: a refused preparation answers 401 over HTTP, the handler never runs", async () => {
    let ran = false;
    const { port } = await serve(() => {
      ran = true;
    }, {
      prepare: (req) => req.url?.includes("token=good")
        ? { ok: true, ctx: { url: req.url } }
        : { ok: false, status: 401, headers: { "WWW-Authenticate": "Bearer", "X-Bad": "a\r\nSet-Cookie: x=1" }, body: '{"detail":"Not authenticated"}' },
    });
    const hs = await handshake(port, "/ws?token=bad");
    expect(hs.status).toBe(401);
    expect(hs.headers["www-authenticate"]).toBe("Bearer");
    expect(hs.headers["set-cookie"]).toBeUndefined();
    expect(hs.headers["x-bad"]).toBeUndefined();
    expect(JSON.parse(hs.body)).toEqual({ detail: "Not authenticated" });
    expect(await socketClosed(hs.socket)).toBe(true);
    expect(ran).toBe(false);
    const ok = await handshake(port, "/ws?token=good");
    expect(ok.status).toBe(101);
    ok.conn!.destroy();
  });

  it("a handshake whose preparation takes longer than handshakeTimeoutMs gets 408, and its cleanup runs", async () => {
    const cleaned: string[] = [];
    const { port } = await serve(echo, {
      limits: { handshakeTimeoutMs: 100 },
      prepare: () => new Promise((r) => setTimeout(() => r({ ok: true, ctx: { url: "" }, cleanup: () => void cleaned.push("late") }), 300)),
    });
    const hs = await handshake(port, "/ws");
    expect(hs.status).toBe(408);
    await new Promise((r) => setTimeout(r, 350));
    expect(cleaned).toEqual(["late"]);
  });

  it("ping/pong reaping: a peer that never answers pings is cut; one that answers stays", async () => {
    const { port, engine } = await serve(echo, { limits: { pingIntervalMs: 100 } });
    const dead = await handshake(port, "/ws");
    const alive = await handshake(port, "/ws");
    alive.conn!.answerPings = true;
    await dead.conn!.closed(1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(alive.conn!.ended).toBe(false);
    expect(engine.size).toBe(1);
    alive.conn!.destroy();
  });

  it("message rate limit: a burst over the budget closes with 1008", async () => {
    const received: unknown[] = [];
    const { port } = await serve(async (socket) => {
      for await (const m of socket) received.push(m);
    }, { limits: { rateLimit: { messages: 5, intervalMs: 1000 } } });
    const hs = await handshake(port, "/ws");
    for (let i = 0; i < 10; i++) hs.conn!.text(`m${i}`);
    expect(await hs.conn!.closeCode()).toBe(1008);
    await hs.conn!.closed();
    // What arrived within the budget is still delivered to the handler; nothing past it is.
    expect(received).toEqual(["m0", "m1", "m2", "m3", "m4"]);
  });

  it("slow consumer: a peer that stops reading is closed with 1013 once maxBufferedAmount is exceeded", async () => {
    let stopped: unknown = null;
    const { port } = await serve(async (socket) => {
      const chunk = "y".repeat(16 * 1024);
      try {
        for (let i = 0; i < 100_000; i++) {
          await socket.send(chunk);
          if (i % 8 === 0) await new Promise((r) => setImmediate(r));
        }
      } catch (err) {
        stopped = err;
      }
    }, { limits: { maxBufferedAmount: 256 * 1024 } });
    const hs = await handshake(port, "/ws");
    hs.socket.pause();
    await new Promise((r) => setTimeout(r, 300));
    expect(stopped).toBeInstanceOf(WebSocketDisconnect);
    expect((stopped as WebSocketDisconnect).code).toBe(1013);
    hs.socket.resume();
    expect(await hs.conn!.closeCode(5000)).toBe(1013);
  });

  it("invalid messages: an error frame by default, 1007 / 1003 with onInvalidMessage: close", async () => {
    const Message = z.object({ content: z.string().max(5) });
    const { port } = await serve(echo, { message: Message });
    const hs = await handshake(port, "/ws");
    hs.conn!.text('{"content":"too long"}');
    const error = await hs.conn!.nextJson();
    expect(error.type).toBe("error");
    expect(error.detail[0]).toMatchObject({ type: "string_too_long", loc: ["message", "content"] });
    hs.conn!.text("{not json");
    expect((await hs.conn!.nextJson()).detail[0].type).toBe("json_invalid");
    hs.conn!.text('{"__proto__":{"x":1}}');
    expect((await hs.conn!.nextJson()).type).toBe("error");
    hs.conn!.text('{"content":"ok"}');
    expect(await hs.conn!.nextJson()).toEqual({ content: "ok" });

    const strict = await serve(echo, { message: Message, onInvalidMessage: "close" });
    const a = await handshake(strict.port, "/ws");
    a.conn!.text('{"content":"too long"}');
    expect(await a.conn!.closeCode()).toBe(1007);
    const b = await handshake(strict.port, "/ws");
    b.conn!.send(frame(2, Buffer.from("{}")));
    expect(await b.conn!.closeCode()).toBe(1003);
  });

  it("shutdown sends 1001 to every client, waits for the handlers' cleanup, then refuses upgrades with 503", async () => {
    const order: string[] = [];
    const { port, engine } = await serve(async (socket) => {
      try {
        for await (const m of socket) await socket.send(m);
      } finally {
        await new Promise((r) => setTimeout(r, 50));
        order.push("handler finished");
      }
    }, { prepare: () => ({ ok: true, ctx: { url: "" }, cleanup: () => void order.push("cleanup") }) });
    const clients = await Promise.all([handshake(port, "/ws"), handshake(port, "/ws"), handshake(port, "/ws")]);
    const codes = clients.map((c) => c.conn!.closeCode());
    const clean = await engine.shutdown(Date.now() + 2000);
    expect(clean).toBe(true);
    expect(await Promise.all(codes)).toEqual([1001, 1001, 1001]);
    expect(order.filter((o) => o === "cleanup")).toHaveLength(3);
    expect(order.lastIndexOf("handler finished")).toBeLessThan(order.lastIndexOf("cleanup"));
    expect((await handshake(port, "/ws")).status).toBe(503);
  });

  it("a handler that throws closes with 1011, and cleanup still runs", async () => {
    const { port, events } = await serve(async (socket) => {
      await socket.receive();
      throw new Error("boom");
    });
    const hs = await handshake(port, "/ws");
    hs.conn!.text("x");
    expect(await hs.conn!.closeCode()).toBe(1011);
    await hs.conn!.closed();
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(["cleanup"]);
  });
});
