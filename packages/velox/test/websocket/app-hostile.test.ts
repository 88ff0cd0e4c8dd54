import { describe, expect, it } from "vitest";
import { z } from "zod";
import { depends, HTTPException, Velox } from "../../src/index.ts";
import { WebSocketBearer } from "../../src/websocket/index.ts";
import { frame, handshake, socketClosed } from "./raw-ws.ts";
import { useServedApps } from "./served-apps.ts";

// The app's routing rows of docs/hardening.md § WebSockets over real sockets, through
// velox/server (node's HTTP parser, its upgrade event, its drain).

const { start } = useServedApps();

const token = WebSocketBearer();
const user = depends({ deps: { token } }, function wsUser({ token: t }) {
  if (t !== "good") throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": "Bearer" });
  return "ada";
});

function chatApp(events: string[] = []): Velox {
  const app = new Velox({ logger: false });
  app.get("/items", {}, () => []);
  app.post("/items", {}, () => ({}));
  app.ws("/ws/{room}", { path: { room: z.string().max(20) }, deps: { user } }, async (socket, { path, user: u }) => {
    events.push(`open ${path.room} ${u}`);
    try {
      for await (const m of socket) await socket.send(m);
    } finally {
      await new Promise((r) => setTimeout(r, 30));
      events.push("handler cleanup");
    }
  });
  return app;
}

describe("app WebSocket routes over real sockets (velox/server)", () => {
  it("a non-upgrade request to a WebSocket route is answered 426 with Upgrade: websocket", async () => {
    const { port } = await start(chatApp());
    const res = await handshake(port, "/ws/lobby?token=good", { plain: true });
    expect(res.status).toBe(426);
    expect(res.headers.upgrade).toBe("websocket");
    expect(JSON.parse(res.body)).toEqual({ detail: "Upgrade Required" });
  });

  it("an upgrade to an HTTP-only route is 405 with Allow, to an unknown path 404 — and the socket is closed", async () => {
    const { port } = await start(chatApp());
    const http = await handshake(port, "/items");
    expect(http.status).toBe(405);
    expect(http.headers.allow).toBe("GET, HEAD, POST");
    expect(await socketClosed(http.socket)).toBe(true);
    const none = await handshake(port, "/nowhere");
    expect(none.status).toBe(404);
    expect(await socketClosed(none.socket)).toBe(true);
  });

  it("auth before the upgrade: no token 401 with WWW-Authenticate, bad params 422, and no upgrade either way", async () => {
    const events: string[] = [];
    const { port } = await start(chatApp(events));
    const anonymous = await handshake(port, "/ws/lobby");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers["www-authenticate"]).toBe("Bearer");
    expect(await socketClosed(anonymous.socket)).toBe(true);
    const invalid = await handshake(port, `/ws/${"x".repeat(21)}?token=good`);
    expect(invalid.status).toBe(422);
    expect(JSON.parse(invalid.body).detail[0].type).toBe("string_too_long");
    expect(events).toEqual([]);
    const ok = await handshake(port, "/ws/lobby", { headers: { "Sec-WebSocket-Protocol": "bearer, good" } });
    expect(ok.status).toBe(101);
    expect(ok.headers["sec-websocket-protocol"]).toBe("bearer");
    ok.conn!.text("hi");
    expect((await ok.conn!.next()).payload.toString()).toBe("hi");
    expect(events).toEqual(["open lobby ada"]);
  });

  it("Origin: a cross-site page is refused with 403 by default", async () => {
    const { port } = await start(chatApp());
    const res = await handshake(port, "/ws/lobby?token=good", { headers: { Origin: "https://evil.example" } });
    expect(res.status).toBe(403);
  });

  it("hostile frames through the app: oversized 1009, bad UTF-8 1007, unmasked 1002", async () => {
    const { port } = await start(chatApp());
    const big = await handshake(port, "/ws/a?token=good");
    big.conn!.send(frame(2, Buffer.alloc(64 * 1024 + 1)));
    expect(await big.conn!.closeCode()).toBe(1009);
    const utf = await handshake(port, "/ws/a?token=good");
    utf.conn!.send(frame(1, Buffer.from([0xff, 0xfe])));
    expect(await utf.conn!.closeCode()).toBe(1007);
    const unmasked = await handshake(port, "/ws/a?token=good");
    unmasked.conn!.send(frame(1, "x", { mask: false }));
    expect(await unmasked.conn!.closeCode()).toBe(1002);
  });

  it("graceful shutdown: every client gets 1001, handlers' cleanup runs before the server is done", async () => {
    const events: string[] = [];
    const handle = await start(chatApp(events));
    const a = await handshake(handle.port, "/ws/r?token=good");
    const b = await handshake(handle.port, "/ws/r?token=good");
    const codes = Promise.all([a.conn!.closeCode(5000), b.conn!.closeCode(5000)]);
    await handle.shutdown();
    expect(await codes).toEqual([1001, 1001]);
    expect(events.filter((e) => e === "handler cleanup")).toHaveLength(2);
  });
});
