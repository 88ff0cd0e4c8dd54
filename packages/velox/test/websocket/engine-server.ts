import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { z } from "zod";
import type { Logger } from "../../src/logger.ts";
import { silentLogger } from "../../src/logger.ts";
import type { WebSocketConnection } from "../../src/websocket/connection.ts";
import { WebSocketEngine, type PrepareHandshake, type WebSocketRouteSpec } from "../../src/websocket/engine.ts";
import { compileCodec } from "../../src/websocket/message-codec.ts";
import { resolveLimits, type WebSocketLimits } from "../../src/websocket/options.ts";

/** The engine over a bare node server: what the tests of the parts below the app use. */
export interface EngineServer {
  engine: WebSocketEngine;
  server: Server;
  port: number;
  url: string;
  /** "cleanup" once per finished connection (the default preparation's cleanup). */
  events: string[];
  close(): Promise<void>;
}

export type EngineHandler = (socket: WebSocketConnection<any, any>, ctx: { url: string }) => unknown;

export interface EngineServerOptions {
  limits?: WebSocketLimits;
  message?: z.ZodType;
  send?: z.ZodType;
  onInvalidMessage?: "error" | "close";
  prepare?: PrepareHandshake<{ url: string }>;
  logger?: Logger;
}

export async function serveEngine(handler: EngineHandler, options: EngineServerOptions = {}): Promise<EngineServer> {
  const engine = new WebSocketEngine(options.logger ?? silentLogger);
  const events: string[] = [];
  const spec: WebSocketRouteSpec<{ url: string }> = {
    where: "WS /ws",
    limits: resolveLimits("WS /ws", options.limits),
    codec: compileCodec(options.message, options.send),
    onInvalidMessage: options.onInvalidMessage ?? "error",
    subprotocols: [],
    handler,
  };
  const route = engine.compile(spec);
  const prepare: PrepareHandshake<{ url: string }> = options.prepare
    ?? ((req) => ({ ok: true as const, ctx: { url: req.url ?? "/" }, cleanup: () => void events.push("cleanup") }));
  const server = createServer((_req, res) => res.end("http"));
  server.on("upgrade", (req, socket, head) => engine.upgrade(route, req, socket, head, prepare));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    engine,
    server,
    port,
    url: `ws://127.0.0.1:${port}`,
    events,
    close: async () => {
      await engine.shutdown(Date.now() + 500);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
