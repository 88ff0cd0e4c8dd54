import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Velox, type ResponseInfo } from "../../src/index.ts";
import { serve, type ServerHandle } from "../../src/server/index.ts";
import { RawConnection } from "../hardening/raw-http.ts";

const handles: ServerHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.shutdown()));
});

async function start(app: Velox, options: Parameters<typeof serve>[1] = {}): Promise<ServerHandle> {
  const handle = await serve(app, { port: 0, host: "127.0.0.1", workers: 0, handleSignals: false, logger: { error() {}, warn() {}, info() {} }, ...options });
  handles.push(handle);
  return handle;
}

function upgradeRequest(path: string): string {
  return `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
}

describe("onResponse over a real socket", () => {
  it("reports aborted when the client goes away before the response", async () => {
    const infos: ResponseInfo[] = [];
    const app = new Velox({ logger: false });
    app.addHook("onResponse", (_ctx, info) => void infos.push(info));
    app.get("/slow", {}, () => new Promise((r) => setTimeout(() => r({ late: true }), 200)));
    const handle = await start(app);
    const conn = await RawConnection.open(handle.port);
    conn.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    await new Promise((r) => setTimeout(r, 50));
    conn.destroy();
    await new Promise((r) => setTimeout(r, 300));
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({ route: "/slow", aborted: true });
  });
});

describe("the upgrade entry", () => {
  it("refuses upgrades without an engine: 426 on a routed path, 404 elsewhere, and closes the socket", async () => {
    const app = new Velox({ logger: false });
    app.get("/chat", {}, () => "http");
    const handle = await start(app);
    for (const [path, status] of [["/chat", 426], ["/nowhere", 404]] as const) {
      const conn = await RawConnection.open(handle.port);
      conn.write(upgradeRequest(path));
      expect((await conn.nextResponse()).status).toBe(status);
      await conn.closed();
    }
  });

  it("hands upgrades to the installed engine, through app.listen too", async () => {
    const app = new Velox({ logger: false });
    app.setUpgradeHandler((req, socket) => {
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n`);
      socket.on("data", (chunk) => socket.write(`${req.url}:${chunk}`));
      socket.on("end", () => socket.end());
    });
    const server = await app.listen({ port: 0 });
    const port = (server.address() as { port: number }).port;
    const socket = connect(port, "127.0.0.1");
    let text = "";
    const until = (done: () => boolean) => new Promise<void>((resolve) => {
      const check = () => (done() ? resolve() : socket.once("data", (chunk) => { text += chunk; check(); }));
      check();
    });
    socket.write(upgradeRequest("/echo"));
    await until(() => text.includes("\r\n\r\n"));
    expect(text).toMatch(/^HTTP\/1\.1 101/);
    socket.write("hi");
    await until(() => text.endsWith("/echo:hi"));
    socket.destroy();
    server.closeAllConnections();
    await app.close();
  });

  it("keeps upgraded sockets through the drain until preClose closes them, and refuses new upgrades", async () => {
    const sockets = new Set<import("node:stream").Duplex>();
    const events: string[] = [];
    const app = new Velox({ logger: false });
    app.setUpgradeHandler((_req, socket) => {
      sockets.add(socket);
      socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n");
    });
    app.addHook("preClose", async () => {
      events.push("preClose");
      await new Promise((r) => setTimeout(r, 150));
      for (const s of sockets) s.end("bye");
    });
    const handle = await start(app, { idleGraceMs: 0, shutdownTimeoutMs: 3_000 });
    const client: Socket = connect(handle.port, "127.0.0.1");
    let received = "";
    client.on("data", (chunk) => void (received += chunk));
    const ended = new Promise<void>((resolve) => client.on("close", () => resolve()));
    client.write(upgradeRequest("/ws"));
    await new Promise((r) => setTimeout(r, 100));
    const shutdown = handle.shutdown();
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(["preClose"]);
    await ended;
    await shutdown;
    expect(received).toMatch(/101 Switching Protocols[\s\S]*bye$/);
  });
});
