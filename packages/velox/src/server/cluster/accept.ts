import type { Server } from "node:http";
import type { Socket } from "node:net";
import { isVeloxMessage, type ConnectionMessage } from "./messages.ts";

/**
 * Serves, on this worker's HTTP server, the connections the primary's dispatcher hands over
 * (the worker itself never listens). Node documents emitting `connection` to inject a socket.
 * Beyond the server's `maxConnections` a connection is closed at once, as node's own listener does.
 *
 * @example
 * ```ts
 * acceptFromPrimary(running.server);
 * ```
 */
export function acceptFromPrimary(server: Server): void {
  let open = 0;
  process.on("message", (message: unknown, handle: unknown) => {
    if (!isVeloxMessage<ConnectionMessage>(message, "connection") || handle === undefined) return;
    const socket = handle as Socket;
    if (server.maxConnections > 0 && open >= server.maxConnections) {
      socket.destroy();
      return;
    }
    open++;
    socket.once("close", () => open--);
    server.emit("connection", socket);
    // The primary accepted it paused; the HTTP parser reads from here on.
    socket.resume();
  });
  // Node's HTTP server starts checking headersTimeout and requestTimeout when it emits
  // `listening`; a server fed by the primary never listens, so it is told here.
  server.emit("listening");
}
